using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Which golden set a machine's fixed-seed trials can be held to bit for bit. libtorch and its BLAS pick kernels by the
/// CPU (vendor, model, vector extensions), and kernels of different widths round differently: the same code and seed
/// gave losses equal to 6-7 digits, not all of them, on an AMD EPYC with AVX-512 and the machine of the first golden
/// set. So the key is the CPU as libtorch sees it. (A CNN's far larger difference there, test accuracy 0.67 against
/// 0.5, was libtorch's NCHW convolution bug; see ChannelsLast.)
/// </summary>
public static class GoldenMachine
{
    /// <summary>The vector extensions that decide which kernels run (ATen's, MKL's and oneDNN's dispatch).</summary>
    private static readonly string[] Extensions =
    [
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd", "avx512_vnni",
        "avx512_bf16", "avx512_fp16", "avx512ifma", "avx512vbmi", "amx_tile", "amx_bf16", "amx_int8",
    ];

    /// <summary>The first processor's fields of /proc/cpuinfo (empty where there is none), read once.</summary>
    private static readonly Dictionary<string, string> Info = CpuInfo();

    /// <summary>The extensions of <see cref="Extensions"/> this CPU has, in that order.</summary>
    private static readonly List<string> Present = PresentExtensions();

    /// <summary>e.g. <c>x64-AuthenticAMD-25-17-avx512-1f3a9c2e</c>: architecture, vendor, family, model, widest vectors, hash of the extensions.</summary>
    public static string Key { get; } = ComputeKey();

    /// <summary>The CPU in words, for the machine.txt of a golden set.</summary>
    public static string Description { get; } = Describe();

    /// <summary>Whether the CPU has a vector extension of <see cref="Extensions"/> (e.g. avx512f).</summary>
    public static bool Has(string extension) => Present.Contains(extension);

    private static Dictionary<string, string> CpuInfo()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists("/proc/cpuinfo")) return fields;
        // The first processor's block is enough: the cores of one machine are alike in what matters here.
        foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return fields;
    }

    private static List<string> PresentExtensions()
    {
        var flags = Info.GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return Extensions.Where(flags.Contains).ToList();
    }

    private static string ComputeKey()
    {
        var info = Info;
        var extensions = Present;
        var widest = extensions.Contains("avx512f") ? "avx512" : extensions.Contains("avx2") ? "avx2" : extensions.Contains("avx") ? "avx" : "base";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', extensions))))[..8];
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return string.Join('-', arch, Safe(info.GetValueOrDefault("vendor_id", "unknown")), Safe(info.GetValueOrDefault("cpu family", "na")),
            Safe(info.GetValueOrDefault("model", "na")), widest, hash);
    }

    private static string Describe()
    {
        var info = Info;
        return $"{info.GetValueOrDefault("model name", RuntimeInformation.ProcessArchitecture.ToString())} " +
            $"(vendor {info.GetValueOrDefault("vendor_id", "?")}, family {info.GetValueOrDefault("cpu family", "?")}, model {info.GetValueOrDefault("model", "?")}; " +
            $"{string.Join(' ', Present)})";
    }

    private static string Safe(string part) => new(part.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
