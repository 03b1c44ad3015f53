using System.Globalization;

namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>
/// One TensorBoard run folder, written append-only: every attempt at a trial (a process that trains it) gets an event
/// file of its own, and no (tag, step) is ever written twice across them.
/// <para>
/// Why not rewrite one file atomically, as the CSV files are: TensorBoard keeps each event file open and reads on
/// from where it stopped, so a file renamed over it is never seen (the open handle still reads the old one) or, by
/// readers that reopen by name, read from the middle of a record, which fails the checksum and ends the file for
/// good. Appending whole records to a file nobody else writes is what TensorFlow's own writers do. TensorBoard reads a
/// run's files in name order and lets a step at or below one it has seen replace the later ones of that tag (it
/// assumes a preempted job went back to a checkpoint), so the names sort in attempt order and nothing is repeated.
/// </para>
/// </summary>
internal sealed class TensorBoardRun(string dir, TimeProvider clock)
{
    public const string FilePrefix = "events.out.tfevents.";
    private const string FileSuffix = ".exprun";

    private readonly HashSet<(string Tag, long Step)> _written = [];
    private string? _file;

    /// <summary>Event files in the order TensorBoard reads them.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, FilePrefix + "*").Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>A trial that starts over drops what an abandoned attempt wrote, as it does with its CSV files.</summary>
    public void Clear()
    {
        foreach (var file in Files()) File.Delete(file);
        _written.Clear();
        _file = null;
    }

    /// <summary>A resumed trial learns what earlier attempts wrote (up to a record a killed writer left torn).</summary>
    public void LoadWritten()
    {
        foreach (var file in Files())
        {
            foreach (var record in TfRecord.Records(File.ReadAllBytes(file)))
            {
                foreach (var key in EventCodec.TagsAndSteps(record)) _written.Add(key);
            }
        }
    }

    /// <summary>
    /// Appends the events not written yet, in one write; the attempt's file is created (with its file_version record)
    /// on the first append that has something to write.
    /// </summary>
    public void Append(IEnumerable<TensorBoardEvent> events)
    {
        var fresh = events.Where(e => _written.Add((e.Tag, e.Step))).ToList();
        if (fresh.Count == 0) return;
        using var buffer = new MemoryStream();
        if (_file is null)
        {
            _file = NewFileName();
            buffer.Write(TfRecord.Frame(EventCodec.FileVersionEvent(WallTime(clock))));
        }
        foreach (var e in fresh) buffer.Write(TfRecord.Frame(EventCodec.Encode(e)));
        Directory.CreateDirectory(dir);
        using var stream = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.Read);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    public static double WallTime(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;attempt&gt;.exprun</c>, never sorting before an earlier attempt's file
    /// (the seconds never go back, the attempt number breaks ties), since TensorBoard reads a run's files in name order.
    /// </summary>
    private string NewFileName()
    {
        var earlier = Files().Select(f => Path.GetFileName(f)[FilePrefix.Length..].Split('.')).ToList();
        var seconds = clock.GetUtcNow().ToUnixTimeSeconds();
        var attempt = 1;
        foreach (var parts in earlier)
        {
            if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s)) seconds = Math.Max(seconds, s);
            if (parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var a)) attempt = Math.Max(attempt, a + 1);
        }
        return Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{seconds:D10}.{attempt:D4}{FileSuffix}"));
    }
}
