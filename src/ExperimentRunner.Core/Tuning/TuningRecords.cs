using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Core.Tuning;

/// <summary>Where each cell of a tuned sweep stands, for choices.csv.</summary>
public sealed record CellRecord(TuningCell Cell, CellProgress Progress, IReadOnlyList<CandidateCurve> Curves);

/// <summary>
/// The tuner's files beside the tuning trials: choices.csv (per cell the chosen setting, its validation value and the
/// epochs spent against an exhaustive search) and decisions.csv (every checkpoint decision: who went on, who stopped).
/// </summary>
public static class TuningRecords
{
    public const string ChoicesFile = "choices.csv";
    public const string DecisionsFile = "decisions.csv";

    public static void Write(string tuningDir, TuningPlan plan, IReadOnlyList<CellRecord> cells)
    {
        Directory.CreateDirectory(tuningDir);
        AtomicFile.WriteAllText(Path.Combine(tuningDir, ChoicesFile), Choices(plan, cells));
        AtomicFile.WriteAllText(Path.Combine(tuningDir, DecisionsFile), Decisions(plan, cells));
    }

    /// <summary>
    /// The keys an experiment folder tuned per cell (from its tuning/choices.csv: the columns between state and the
    /// metric); none when it tuned nothing. They name each cell's choice, not the cell.
    /// </summary>
    public static IReadOnlyList<string> TunedKeys(string experimentDir)
    {
        var path = Path.Combine(experimentDir, TuningPlan.FolderName, ChoicesFile);
        if (!File.Exists(path)) return [];
        var header = CsvText.Read(path).Header.ToList();
        var state = header.IndexOf("state");
        var rule = header.IndexOf("rule");
        return state >= 0 && rule > state + 1 ? header.GetRange(state + 1, rule - state - 2) : [];
    }

    private static IReadOnlyList<string> CellKeys(TuningPlan plan) => plan.Cells[0].Values.Select(v => v.Key).ToList();

    private static IReadOnlyList<string> TunedKeys(TuningPlan plan) => plan.Spec.Keys;

    public static string Choices(TuningPlan plan, IReadOnlyList<CellRecord> cells)
    {
        List<string> header = [.. CellKeys(plan), "state", .. TunedKeys(plan), plan.Spec.Metric, "rule", "settings", "pruned", "epochs_spent", "epochs_exhaustive"];
        var rows = cells.Select(r =>
        {
            var chosen = r.Progress.Chosen is { } s ? plan.Settings[s] : null;
            var value = r.Progress.Chosen is { } c ? r.Curves[c].BestValue(int.MaxValue) : (double?)null;
            return (IReadOnlyList<string>)
            [
                .. r.Cell.Values.Select(v => v.Display), chosen is null ? "tuning" : "chosen",
                .. TunedKeys(plan).Select(k => chosen?.FirstOrDefault(v => v.Key == k)?.Display ?? ""),
                CsvText.Number(value), TuneParser.Text(plan.Spec.Stopping.Rule),
                Whole(r.Curves.Count), Whole(r.Curves.Count(c => c.State == CandidateState.Pruned)),
                Whole(r.Curves.Sum(c => c.Epochs)), Whole(TuningPlan.ExhaustiveEpochs(r.Cell)),
            ];
        });
        return CsvText.Write(header, rows);
    }

    public static string Decisions(TuningPlan plan, IReadOnlyList<CellRecord> cells)
    {
        List<string> header = [.. CellKeys(plan), "epoch", .. TunedKeys(plan), "trial", plan.Spec.Metric, "outcome"];
        var rows = cells.SelectMany(r => r.Progress.Decisions.Select(d => (IReadOnlyList<string>)
        [
            .. r.Cell.Values.Select(v => v.Display), Whole(d.Epoch),
            .. TunedKeys(plan).Select(k => plan.Settings[d.Setting].FirstOrDefault(v => v.Key == k)?.Display ?? ""),
            r.Cell.Candidates[d.Setting].Id, CsvText.Number(d.Value), d.Outcome,
        ]));
        return CsvText.Write(header, rows);
    }

    private static string Whole(long n) => n.ToString(CultureInfo.InvariantCulture);
}
