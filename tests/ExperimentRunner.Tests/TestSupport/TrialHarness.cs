using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Running;
using Microsoft.Extensions.Time.Testing;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>Runs trials through <see cref="TrialRunner"/> with a fake clock, and reads what they wrote.</summary>
public static class TrialHarness
{
    public static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static RunManifest Run(TrialSpec trial, string experimentDir, TimeProvider? clock = null, int? stopAfterEpoch = null, bool resume = false) =>
        TestRuntime.Instance.Runner.Run(trial, experimentDir, new RunOptions
        {
            Clock = clock ?? Clock(),
            StopAfterEpoch = stopAfterEpoch,
            Resume = resume,
        });

    public static string TrialDir(string experimentDir, TrialSpec trial) => TrialPaths.TrialDir(experimentDir, trial.Id);
}

/// <summary>A CSV file written by exprun, split naively (the files tests read here never quote a cell).</summary>
public sealed record CsvTable(string Text, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static CsvTable Read(string path) => Parse(File.ReadAllText(path));

    public static CsvTable Parse(string text)
    {
        Assert.EndsWith("\n", text);
        var lines = text[..^1].Split('\n');
        return new CsvTable(text, lines[0].Split(','), lines.Skip(1).Select(l => (IReadOnlyList<string>)l.Split(',')).ToList());
    }

    public int Column(string name)
    {
        var i = Header.ToList().IndexOf(name);
        Assert.True(i >= 0, $"no column '{name}' in {string.Join(",", Header)}");
        return i;
    }

    public IReadOnlyList<string> Cells(string column) => Rows.Select(r => r[Column(column)]).ToList();

    public IReadOnlyList<double> Numbers(string column) =>
        Cells(column).Select(c => double.Parse(c, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The file's text with one column removed from every line (e.g. <c>seconds</c>, the only cell that may differ between runs).</summary>
    public string TextWithout(string column)
    {
        var i = Column(column);
        IEnumerable<IReadOnlyList<string>> lines = [Header, .. Rows];
        return string.Join("\n", lines.Select(l => string.Join(",", l.Where((_, k) => k != i)))) + "\n";
    }
}
