using System.Security.Cryptography;
using System.Text.Json.Serialization;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Core.IO;

/// <summary>
/// A file's size and SHA-256 as recorded when exprun wrote it, so a file cut short or changed later is found before
/// anything uses it (resume, predict, <c>exprun check</c>) instead of failing deep inside a loader, or not at all.
/// </summary>
/// <param name="Replacing">Set only while the file is being replaced (see CheckpointFiles.Replace): the digest of the file
/// still in place, which is as good as this one until the new file is renamed over it and the record rewritten.</param>
public sealed record FileDigest(
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("replacing"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FileDigest? Replacing = null)
{
    public static FileDigest Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new FileDigest(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Why the file at <paramref name="path"/> is not the one recorded (missing, another size, other bytes); null when it is.</summary>
    public string? Mismatch(string path)
    {
        if (!File.Exists(path)) return "missing (the record says it was written)";
        var actual = Of(path);
        if (Replacing is { } old && actual.Bytes == old.Bytes && actual.Sha256 == old.Sha256) return null;
        if (actual.Bytes != Bytes)
        {
            var how = actual.Bytes < Bytes ? "cut short" : "grown since";
            return $"{how}: {Counted.Of(actual.Bytes, "byte")}, but {Counted.Of(Bytes, "byte")} when it was written";
        }
        return actual.Sha256 == Sha256 ? null : $"changed since it was written: its SHA-256 is {actual.Sha256[..12]}..., recorded {Sha256[..12]}...";
    }
}
