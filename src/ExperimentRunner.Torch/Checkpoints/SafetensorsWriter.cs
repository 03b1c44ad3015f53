using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// Writes a state dict as safetensors (https://github.com/huggingface/safetensors) with a <c>__metadata__</c> entry,
/// which TorchSharp.PyBridge's writer cannot: the metadata carries what is needed to apply the weights to raw rows
/// (the fitted preprocessing, class names, architecture). Readers that ignore metadata (PyBridge, safetensors'
/// load_file) read the tensors as before.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, nn.Module module, IReadOnlyDictionary<string, string> metadata)
    {
        using var scope = NewDisposeScope();
        Write(path, module.state_dict().Select(kv => (kv.Key, kv.Value)).ToList(), metadata);
    }

    /// <summary>Writes named tensors, in the order given (a module's state dict order, so the bytes match the module's).</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> state, IReadOnlyDictionary<string, string> metadata)
    {
        using var scope = NewDisposeScope();
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata };
        long offset = 0;
        var tensors = new List<Tensor>();
        foreach (var (name, tensor) in state)
        {
            var cpu = tensor.detach().cpu().contiguous();
            var length = cpu.NumberOfElements * cpu.ElementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = DType(cpu.dtype),
                ["shape"] = cpu.shape,
                ["data_offsets"] = new[] { offset, offset + length },
            };
            offset += length;
            tensors.Add(cpu);
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // The header is padded with spaces to a multiple of 8 bytes, as the reference writer does, so the data is aligned.
        var padded = (json.Length + 7) / 8 * 8;
        using var stream = File.Create(path);
        Span<byte> length8 = stackalloc byte[8];
        BitConverter.TryWriteBytes(length8, (ulong)padded);
        stream.Write(length8);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var tensor in tensors) tensor.WriteBytesToStream(stream);
    }

    private static string DType(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"no safetensors name for {type}"),
    };
}
