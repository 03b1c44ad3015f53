using System.Buffers;
using System.Globalization;
using System.Text;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// Reads an experiment file's text: a regular file (a FIFO would block the read, /dev/zero never end it), at most
/// <see cref="ReaderLimits.MaxFileBytes"/>, and valid UTF-8. Invalid bytes are named with their line and column
/// instead of turning silently into U+FFFD, which would make a damaged value look like a typo or vanish in a comment.
/// </summary>
public static class ExperimentFile
{
    /// <param name="source">how problems name the file (a base of an extends chain by its shown name); default the path</param>
    public static string? ReadText(string path, ProblemBag problems, string? source = null)
    {
        source ??= path;
        var mark = new SourceMark(source);
        var kind = FileKinds.Of(path);
        if (kind != FileKind.Regular)
        {
            problems.Error(mark, "", kind == FileKind.Missing ? "file not found" : $"is {FileKinds.Describe(kind)}, not an experiment file; give a .yaml, .yml or .json file");
            return null;
        }
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > ReaderLimits.MaxFileBytes)
            {
                problems.Error(mark, "", $"is {Megabytes(length)}; an experiment file holds settings, at most {Megabytes(ReaderLimits.MaxFileBytes)} (data belongs in files that dataset.path names)");
                return null;
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Error(mark, "", $"cannot read: {ex.Message}");
            return null;
        }
        return Decode(bytes, source, problems);
    }

    /// <summary>Strict UTF-8 (a leading byte order mark is skipped); null with a problem at the first invalid byte.</summary>
    public static string? Decode(byte[] bytes, string source, ProblemBag problems)
    {
        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        else if (text.StartsWith([(byte)0xFF, (byte)0xFE]) || text.StartsWith([(byte)0xFE, (byte)0xFF]))
        {
            problems.Error(new SourceMark(source, 1, 1), "", "the file is UTF-16 text; save it as UTF-8");
            return null;
        }
        var (line, column) = (1, 1);
        for (var at = 0; at < text.Length;)
        {
            var status = Rune.DecodeFromUtf8(text[at..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                var bad = Convert.ToHexString(text.Slice(at, Math.Max(1, consumed)));
                problems.Error(new SourceMark(source, line, column), "", $"byte{(consumed > 1 ? "s" : "")} {bad} {(consumed > 1 ? "are" : "is")} not UTF-8; save the file as UTF-8 text");
                return null;
            }
            if (rune.Value == '\n') (line, column) = (line + 1, 1);
            else column += rune.Utf16SequenceLength;
            at += consumed;
        }
        return Encoding.UTF8.GetString(text);
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB");
}
