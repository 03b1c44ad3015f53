using System.Buffers.Binary;
using System.Numerics;

namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: <c>uint64 length</c>, the masked CRC32C of those
/// eight bytes, the data, the masked CRC32C of the data (all little-endian). Readers check both checksums, and
/// TensorBoard gives up on a file at the first bad one, so a record is only ever appended whole.
/// </summary>
internal static class TfRecord
{
    private const uint MaskDelta = 0xa282ead8;

    /// <summary>One framed record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        return record;
    }

    /// <summary>
    /// The data of every whole, intact record from the start of <paramref name="bytes"/>; stops at the first torn or
    /// corrupt one (what a killed writer can leave at the end), as TensorBoard does.
    /// </summary>
    public static List<byte[]> Records(byte[] bytes)
    {
        var records = new List<byte[]>();
        var at = 0;
        while (bytes.Length - at >= 12)
        {
            var header = bytes.AsSpan(at, 8);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)) != MaskedCrc(header)) break;
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > (ulong)(bytes.Length - at - 16)) break;
            var data = bytes.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)) != MaskedCrc(data)) break;
            records.Add(data.ToArray());
            at += 16 + (int)length;
        }
        return records;
    }

    /// <summary>CRC32C (Castagnoli), rotated and offset so that a CRC of data holding CRCs stays well distributed.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }

    /// <summary>CRC32C with the usual all-ones start and final inversion; BitOperations uses the CPU's crc32 instruction where there is one.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }
}
