using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary>The trial list <c>--dry-run</c> prints: index, id, swept values and seed, then the count.</summary>
public static class TrialTable
{
    public static void Write(TextWriter output, LoadedExperiment experiment, IReadOnlyList<TrialSpec> trials)
    {
        var header = new List<string> { "index", "trial" };
        header.AddRange(experiment.SweptKeys);
        header.Add("seed");
        var rows = trials.Select(t => (IReadOnlyList<string>)[t.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Id, .. experiment.SweptKeys.Select(k => t.Swept.FirstOrDefault(s => s.Key == k)?.Display ?? ""), t.Spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        output.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        var cells = trials.Select(t => t.CellKey).Distinct().Count();
        output.WriteLine($"{Counted.Of(trials.Count, "trial")} ({Counted.Of(cells, "cell")} x seeds) of experiment '{experiment.Name}'");
    }
}
