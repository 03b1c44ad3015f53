using System.Text;

namespace ExperimentRunner.Tests.Logging;

/// <summary>One summary value of an event: a scalar (simple_value) and/or a plugin's metadata.</summary>
public sealed record EventValue(string Tag, float? SimpleValue, string? PluginName, byte[]? PluginContent);

/// <summary>One Event message (tensorflow/core/util/event.proto) as TensorBoard would see it.</summary>
public sealed record EventRecord(double WallTime, long Step, string? FileVersion, IReadOnlyList<EventValue> Values);

/// <summary>An event file: its events in order, and how many bytes at the end do not form a whole record (a torn write).</summary>
public sealed record EventFile(string Path, IReadOnlyList<EventRecord> Events, int TornTailBytes);

/// <summary>
/// A reader of TensorBoard event files written for the tests from the format's description alone, sharing no code
/// with exprun's writer: TFRecord framing (uint64 length, masked CRC32C of the length, data, masked CRC32C of the
/// data, little-endian), a table-driven CRC32C, and just enough protobuf decoding for Event, Summary, Summary.Value
/// and SummaryMetadata.PluginData. A record whose checksum fails is an error, never skipped.
/// </summary>
public static class EventFileReader
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        // Castagnoli polynomial 0x1EDC6F41, bit-reflected.
        const uint poly = 0x82F63B78;
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? poly ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Crc32C(byte[] data, int offset, int count)
    {
        var crc = 0xFFFFFFFFu;
        for (var i = offset; i < offset + count; i++) crc = CrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    public static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);

    public static EventFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<EventRecord>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) return new EventFile(path, events, bytes.Length - at);
            var length = BitConverter.ToUInt64(bytes, at);
            var lengthCrc = BitConverter.ToUInt32(bytes, at + 8);
            if (lengthCrc != Masked(Crc32C(bytes, at, 8)))
                throw new InvalidDataException($"{path}: record at byte {at}: length checksum {lengthCrc:x8} is wrong");
            if ((ulong)(bytes.Length - at) < 16 + length) return new EventFile(path, events, bytes.Length - at);
            var dataCrc = BitConverter.ToUInt32(bytes, at + 12 + (int)length);
            if (dataCrc != Masked(Crc32C(bytes, at + 12, (int)length)))
                throw new InvalidDataException($"{path}: record at byte {at}: data checksum {dataCrc:x8} is wrong");
            events.Add(ParseEvent(bytes.AsSpan(at + 12, (int)length).ToArray()));
            at += 16 + (int)length;
        }
        return new EventFile(path, events, 0);
    }

    private static EventRecord ParseEvent(byte[] message)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<EventValue>();
        foreach (var f in Protobuf.Fields(message))
        {
            switch (f.Number)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)f.Fixed(1)); break;
                case 2: step = (long)f.Varint(); break;
                case 3: fileVersion = Encoding.UTF8.GetString(f.Bytes()); break;
                case 5:
                    foreach (var v in Protobuf.Fields(f.Bytes()).Where(v => v.Number == 1)) values.Add(ParseValue(v.Bytes()));
                    break;
            }
        }
        return new EventRecord(wallTime, step, fileVersion, values);
    }

    private static EventValue ParseValue(byte[] message)
    {
        string tag = "";
        float? simple = null;
        string? plugin = null;
        byte[]? content = null;
        foreach (var f in Protobuf.Fields(message))
        {
            switch (f.Number)
            {
                case 1: tag = Encoding.UTF8.GetString(f.Bytes()); break;
                case 2: simple = BitConverter.Int32BitsToSingle((int)f.Fixed(5)); break;
                case 9:
                    foreach (var pd in Protobuf.Fields(f.Bytes()).Where(m => m.Number == 1))
                    {
                        foreach (var p in Protobuf.Fields(pd.Bytes()))
                        {
                            if (p.Number == 1) plugin = Encoding.UTF8.GetString(p.Bytes());
                            if (p.Number == 2) content = p.Bytes();
                        }
                    }
                    break;
            }
        }
        return new EventValue(tag, simple, plugin, content);
    }
}

/// <summary>Protocol-buffer wire format, read field by field (varint 0, fixed64 1, length-delimited 2, fixed32 5).</summary>
public static class Protobuf
{
    public sealed record Field(int Number, int WireType, ulong Raw, byte[]? Payload)
    {
        public ulong Varint() => WireType == 0 ? Raw : throw new InvalidDataException($"field {Number} is wire type {WireType}, not a varint");
        public ulong Fixed(int wireType) => WireType == wireType ? Raw : throw new InvalidDataException($"field {Number} is wire type {WireType}, not {wireType}");
        public byte[] Bytes() => WireType == 2 ? Payload! : throw new InvalidDataException($"field {Number} is wire type {WireType}, not length-delimited");
        public double Double() => BitConverter.Int64BitsToDouble((long)Fixed(1));
        public string Text() => Encoding.UTF8.GetString(Bytes());
    }

    public static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var i = 0;
        ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (i >= message.Length || shift > 63) throw new InvalidDataException("bad varint");
                var b = message[i++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }
        while (i < message.Length)
        {
            var key = ReadVarint();
            var number = (int)(key >> 3);
            var wire = (int)(key & 0x7);
            switch (wire)
            {
                case 0: fields.Add(new Field(number, wire, ReadVarint(), null)); break;
                case 1:
                    if (i + 8 > message.Length) throw new InvalidDataException("fixed64 past the end");
                    fields.Add(new Field(number, wire, BitConverter.ToUInt64(message, i), null));
                    i += 8;
                    break;
                case 2:
                    var n = (int)ReadVarint();
                    if (i + n > message.Length) throw new InvalidDataException("length-delimited past the end");
                    fields.Add(new Field(number, wire, 0, message[i..(i + n)]));
                    i += n;
                    break;
                case 5:
                    if (i + 4 > message.Length) throw new InvalidDataException("fixed32 past the end");
                    fields.Add(new Field(number, wire, BitConverter.ToUInt32(message, i), null));
                    i += 4;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
        return fields;
    }
}
