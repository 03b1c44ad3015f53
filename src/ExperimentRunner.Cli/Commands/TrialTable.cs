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
        output.Write(TextTables.Aligned(header, rows, rule: false).Replace("\n", output.NewLine, StringComparison.Ordinal));
        var cells = trials.Select(t => t.CellKey).Distinct().Count();
        output.WriteLine($"{Counted.Of(trials.Count, "trial")} ({Counted.Of(cells, "cell")} x seeds) of experiment '{experiment.Name}'");
    }
}
