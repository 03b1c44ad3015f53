namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>One field of a protocol-buffer message: varint and fixed values as bits, length-delimited ones as bytes.</summary>
internal readonly record struct ProtoField(int Number, int WireType, ulong Bits, ArraySegment<byte> Bytes);

/// <summary>
/// Splits a message into its fields, just enough to find which (tag, step) pairs an earlier attempt's event file
/// already holds. Throws <see cref="InvalidDataException"/> on bytes that are not a message.
/// </summary>
internal static class ProtoFields
{
    public static List<ProtoField> Of(ArraySegment<byte> message)
    {
        var fields = new List<ProtoField>();
        var at = 0;
        while (at < message.Count)
        {
            var key = Varint(message, ref at);
            var number = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new ProtoField(number, wire, Varint(message, ref at), default));
                    break;
                case 1:
                    fields.Add(new ProtoField(number, wire, BitConverter.ToUInt64(Take(message, ref at, 8)), default));
                    break;
                case 2:
                    var length = Varint(message, ref at);
                    if (length > (ulong)(message.Count - at)) throw new InvalidDataException("a length-delimited field runs past the end of its message");
                    fields.Add(new ProtoField(number, wire, 0, Take(message, ref at, (int)length)));
                    break;
                case 5:
                    fields.Add(new ProtoField(number, wire, BitConverter.ToUInt32(Take(message, ref at, 4)), default));
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {wire} in field {number}");
            }
        }
        return fields;
    }

    private static ArraySegment<byte> Take(ArraySegment<byte> message, ref int at, int count)
    {
        if (count > message.Count - at) throw new InvalidDataException("a field runs past the end of its message");
        var slice = message.Slice(at, count);
        at += count;
        return slice;
    }

    private static ulong Varint(ArraySegment<byte> message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= message.Count) throw new InvalidDataException("a varint runs past the end of its message");
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("a varint is longer than ten bytes");
    }
}
