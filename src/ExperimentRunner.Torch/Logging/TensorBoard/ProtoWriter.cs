using System.Buffers.Binary;
using System.Text;

namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>
/// The few protocol-buffer wire types TensorBoard's Event, Summary and hparams messages need (varint, 64-bit,
/// length-delimited, 32-bit), written by hand: TorchSharp's generated Event classes lack the hparams plugin's
/// messages, and these are small enough that one encoder for all keeps the bytes obvious.
/// </summary>
internal sealed class ProtoWriter
{
    private const int WireVarint = 0;
    private const int Wire64 = 1;
    private const int WireLengthDelimited = 2;
    private const int Wire32 = 5;

    private readonly MemoryStream _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>int32, int64, enum and bool fields (negative numbers as 10-byte two's complement, as protobuf does).</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Key(field, WireVarint);
        WriteVarint((ulong)value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    public ProtoWriter Double(int field, double value)
    {
        Key(field, Wire64);
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
        _bytes.Write(buffer);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Key(field, Wire32);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
        _bytes.Write(buffer);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, WireLengthDelimited);
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    private void Key(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.WriteByte((byte)value);
    }
}
