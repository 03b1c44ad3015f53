using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Reporting;

/// <summary>One row of a trial's layer_stats.csv (read by column name, so the reader needs no TorchSharp).</summary>
public sealed record LayerRow(int Epoch, string Layer, string Activation, double Mean, double Std, double DeadFraction, double? SaturatedFraction, double GradNorm, double WeightNorm);

/// <summary>A trial as the report sees it: its run.json and, where written, its per-epoch and per-layer rows.</summary>
public sealed record TrialData(string Dir, RunManifest Manifest, IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<LayerRow> Layers);

/// <summary>
/// Everything the report reads from an experiment's results folder. The trial folders' run.json files are the
/// source of truth (as for <c>exprun collect</c>), so a report is right even before summary.csv is rebuilt;
/// the summary rows are made from them with the same writer as summary.csv, in memory.
/// </summary>
public sealed record ReportInput(
    string Dir,
    string Experiment,
    IReadOnlyList<TrialData> Trials,
    IReadOnlyList<string> SweptKeys,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> SummaryHeader,
    IReadOnlyList<IReadOnlyList<string>> SummaryRows)
{
    public const string LayerStatsFileName = "layer_stats.csv";

    /// <summary>One stderr line per damaged trial (the file and why); the report shows such trials as damaged.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public const string MetricsFileName = Core.Results.MetricsCsv.FileName;

    /// <summary>Summary columns <c>--metric</c> may name: every column but the swept keys, trial, status and error.</summary>
    public IReadOnlyList<string> NumericColumns =>
        SummaryHeader.Where(h => !SweptKeys.Contains(h) && h is not ("trial" or "status" or "error")).ToList();

    /// <summary>
    /// Loads <paramref name="dir"/>: an experiment's results folder (holding trials/) or a single trial's folder
    /// (holding run.json). Throws <see cref="ReportInputException"/> when there is nothing to report.
    /// </summary>
    public static ReportInput Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new ReportInputException($"{dir}: error: no such folder; give results/<experiment-name> or one of its trials/<trial-id> folders");
        var single = File.Exists(Path.Combine(dir, RunManifest.FileName));
        var trialDirs = single
            ? [dir]
            : Directory.Exists(ExperimentResults.TrialsDir(dir)) ? Directory.EnumerateDirectories(ExperimentResults.TrialsDir(dir)).ToList() : [];
        // Every trial folder is checked as it is read: a damaged one (run.json cut short, a garbled metrics.csv row) is
        // shown as damaged, with no curves and no numbers, and named in Warnings; never dropped, never plotted from garbage.
        var checkedTrials = trialDirs.Select(d => TrialCheck.Read(d)).OfType<CheckedTrial>().ToList();
        var wholeManifests = checkedTrials.Where(t => !t.IsDamaged).Select(t => t.Manifest!).ToList();
        var sweptForDamaged = wholeManifests.SelectMany(m => m.Swept.Keys).Distinct().ToList();
        var trials = checkedTrials
            .Select(t => (t.Dir, Manifest: t.Summary(sweptForDamaged), Checked: t))
            .OrderBy(t => t.Manifest.Index).ThenBy(t => t.Manifest.Trial, StringComparer.Ordinal)
            .ToList();
        if (trials.Count == 0)
            throw new ReportInputException($"{dir}: error: no trial results here (no trials/*/{RunManifest.FileName}); give results/<experiment-name> after 'exprun run'");

        var manifests = trials.Select(t => t.Manifest).ToList();
        var metrics = manifests.SelectMany(m => m.Metrics).Distinct().ToList();
        var swept = SweptKeyOrder(single ? null : Path.Combine(dir, SummaryCsv.FileName), manifests);
        var data = trials.Select(t => new TrialData(
            t.Dir, t.Manifest, t.Checked.Epochs,
            t.Checked.IsDamaged ? [] : ReadLayerStats(Path.Combine(t.Dir, LayerStatsFileName)))).ToList();
        var experiment = wholeManifests.FirstOrDefault()?.Experiment ?? manifests[0].Experiment;
        return new ReportInput(
            dir, experiment, data, swept, metrics,
            SummaryCsv.Header(swept, metrics), manifests.Select(m => SummaryCsv.Row(m, swept, metrics)).ToList())
        {
            Warnings = checkedTrials.Where(t => t.IsDamaged).Select(t => t.WarningLine).ToList(),
        };
    }

    /// <summary>Swept keys in the order summary.csv has them (the experiment file's order), else as the manifests first name them.</summary>
    private static IReadOnlyList<string> SweptKeyOrder(string? summaryPath, IReadOnlyList<RunManifest> manifests)
    {
        var fromManifests = manifests.SelectMany(m => m.Swept.Keys).Distinct().ToList();
        if (summaryPath is null || !File.Exists(summaryPath)) return fromManifests;
        var fromSummary = Core.Analysis.Comparison.SweptKeys(CsvText.Read(summaryPath).Header);
        return fromSummary.Count == fromManifests.Count && fromSummary.All(fromManifests.Contains) ? fromSummary : fromManifests;
    }

    /// <summary>Reads layer_stats.csv by column name; a missing file or column gives no rows or NaN.</summary>
    public static IReadOnlyList<LayerRow> ReadLayerStats(string path)
    {
        if (!File.Exists(path)) return [];
        var (header, rows) = CsvText.Read(path);
        var h = header.ToList();
        string Cell(IReadOnlyList<string> r, string name) => h.IndexOf(name) is var i and >= 0 && i < r.Count ? r[i] : "";
        double Num(IReadOnlyList<string> r, string name) => CsvText.ParseNumber(Cell(r, name)) ?? double.NaN;
        return rows.Select(r => new LayerRow(
            (int)Num(r, "epoch"), Cell(r, "layer"), Cell(r, "activation"), Num(r, "mean"), Num(r, "std"), Num(r, "dead_fraction"),
            CsvText.ParseNumber(Cell(r, "saturated_fraction")), Num(r, "grad_norm"), Num(r, "weight_norm"))).ToList();
    }
}

/// <summary>The results folder cannot be reported on; the message names the folder and what to give instead.</summary>
public sealed class ReportInputException(string message) : Exception(message);
