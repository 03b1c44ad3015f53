using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Reporting;

/// <summary>What <c>exprun report</c> can be asked for.</summary>
public sealed record ReportOptions
{
    /// <summary>Summary column to rank, colour and select cells by (default: as <c>exprun compare</c>).</summary>
    public string? Metric { get; init; }

    /// <summary>How many of the best and of the worst cells get per-layer plots.</summary>
    public int Cells { get; init; } = 2;

    /// <summary>Which way is better, for a metric that does not say (a diagnostic such as grad_norm_ratio); null: the metric's own.</summary>
    public MetricDirection? Order { get; init; }
}

/// <summary>A series over epochs: mean over seeds with its min and max (the seed spread), NaN where no seed has a value.</summary>
public sealed record Band(IReadOnlyList<double> Epochs, IReadOnlyList<double> Mean, IReadOnlyList<double> Min, IReadOnlyList<double> Max)
{
    public bool IsEmpty => Mean.All(double.IsNaN);

    public static Band Over(IReadOnlyList<IReadOnlyList<EpochRecord>> seeds, Func<EpochRecord, double> value)
    {
        var last = seeds.Count == 0 ? 0 : seeds.Max(s => s.Count == 0 ? 0 : s.Max(e => e.Epoch));
        var epochs = new List<double>();
        var mean = new List<double>();
        var min = new List<double>();
        var max = new List<double>();
        for (var epoch = 1; epoch <= last; epoch++)
        {
            var values = seeds.SelectMany(s => s.Where(e => e.Epoch == epoch)).Select(value).Where(double.IsFinite).ToList();
            epochs.Add(epoch);
            mean.Add(values.Count == 0 ? double.NaN : values.Average());
            min.Add(values.Count == 0 ? double.NaN : values.Min());
            max.Add(values.Count == 0 ? double.NaN : values.Max());
        }
        return new Band(epochs, mean, min, max);
    }
}

/// <summary>One cell of the sweep (its swept values, all seeds), ranked by the report's metric.</summary>
public sealed record CellReport(int Rank, CellStats Stats, IReadOnlyList<TrialData> Trials, string Label)
{
    public string Anchor => $"cell-{Rank}";

    /// <summary>
    /// The trials the plots are drawn from: those that reached a terminal state (completed, early_stopped, diverged),
    /// the same ones the cell's statistics count. A failed or unfinished trial's partial epochs would otherwise move
    /// the mean curve and the per-layer averages of a cell whose n leaves it out.
    /// </summary>
    public IReadOnlyList<TrialData> Plotted { get; } = Terminal(Trials);

    public Band Train { get; } = Band.Over(Terminal(Trials).Select(t => t.Epochs).ToList(), e => e.TrainLoss);
    public Band Val { get; } = Band.Over(Terminal(Trials).Select(t => t.Epochs).ToList(), e => e.ValLoss);
    public bool HasCurves => !Train.IsEmpty || !Val.IsEmpty;
    public bool HasLayerStats => Plotted.Any(t => t.Layers.Count > 0);

    private static List<TrialData> Terminal(IEnumerable<TrialData> trials) => trials.Where(t => t.Manifest.StatusValue.IsTerminal()).ToList();
}

/// <summary>Per-layer statistics of a cell at one epoch, over the cell's seeds.</summary>
public sealed record LayerEpoch(int Epoch, IReadOnlyList<double> GradNorm, IReadOnlyList<double> DeadFraction, IReadOnlyList<double?> SaturatedFraction);

/// <summary>The per-layer view of a selected cell: layers in network order and a few measured epochs (first to last).</summary>
public sealed record LayerView(CellReport Cell, string Why, IReadOnlyList<string> Layers, IReadOnlyList<LayerEpoch> Epochs, int Seeds)
{
    public const int MaxEpochLines = 4;

    public static LayerView Of(CellReport cell, string why)
    {
        var trials = cell.Plotted.Where(t => t.Layers.Count > 0).ToList();
        var layers = trials.SelectMany(t => t.Layers.Select(r => r.Layer)).Distinct().ToList();
        var measured = trials.SelectMany(t => t.Layers.Select(r => r.Epoch)).Distinct().Order().ToList();
        var epochs = Pick(measured, MaxEpochLines).Select(epoch =>
        {
            var rows = trials.SelectMany(t => t.Layers.Where(r => r.Epoch == epoch)).ToList();
            List<LayerRow> At(string layer) => rows.Where(r => r.Layer == layer).ToList();
            return new LayerEpoch(
                epoch,
                // Gradient norms span decades: average them on the log scale they are drawn on.
                layers.Select(l => GeometricMean(At(l).Select(r => r.GradNorm))).ToList(),
                layers.Select(l => Mean(At(l).Select(r => r.DeadFraction))).ToList(),
                layers.Select(l => At(l).Where(r => r.SaturatedFraction is not null).Select(r => r.SaturatedFraction!.Value).ToList() is { Count: > 0 } s ? s.Average() : (double?)null).ToList());
        }).ToList();
        return new LayerView(cell, why, layers, epochs, trials.Count);
    }

    /// <summary>At most <paramref name="count"/> items, evenly spread, always the first and the last.</summary>
    public static IReadOnlyList<int> Pick(IReadOnlyList<int> items, int count)
    {
        if (items.Count <= count) return items;
        return Enumerable.Range(0, count).Select(i => items[(int)Math.Round(i * (items.Count - 1) / (double)(count - 1))]).Distinct().ToList();
    }

    private static double Mean(IEnumerable<double> values) => values.Where(double.IsFinite).ToList() is { Count: > 0 } v ? v.Average() : double.NaN;

    private static double GeometricMean(IEnumerable<double> values) =>
        values.Where(v => double.IsFinite(v) && v > 0).ToList() is { Count: > 0 } v ? Math.Exp(v.Average(Math.Log)) : double.NaN;
}

/// <summary>The metric over the first two swept keys (averaged over any other keys and the seeds).</summary>
public sealed record Grid(string RowKey, string ColumnKey, IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, CellStats?[,] Values, bool OtherKeysAveraged);

/// <summary>The metric per value of the only swept key.</summary>
public sealed record Bars(string Key, IReadOnlyList<CellStats> Values);

/// <summary>Everything on the page, computed from the results folder; <see cref="HtmlReport"/> only lays it out.</summary>
public sealed record ReportModel(
    ReportInput Input,
    ComparisonTable Table,
    IReadOnlyList<CellReport> Cells,
    Grid? Grid,
    Bars? Bars,
    IReadOnlyList<LayerView> LayerViews,
    IReadOnlyDictionary<CellReport, (double Low, double High)> LossLimits)
{
    public string Metric => Table.Metric;

    public static ReportModel Build(ReportInput input, ReportOptions options, Catalogs catalogs)
    {
        var metric = options.Metric ?? Comparison.DefaultMetric(input.SummaryHeader);
        if (!input.NumericColumns.Contains(metric))
            throw new ArgumentException($"'{metric}' is not a numeric summary column", nameof(options));
        var keys = input.SweptKeys;
        var table = Comparison.Compare(input.SummaryHeader, input.SummaryRows, metric, keys, catalogs, options.Order);
        if (!table.IsRanked)
            throw new ArgumentException($"'{metric}': {table.Direction.Describe()}; the report ranks cells, so give the order (--order higher or lower)", nameof(options));
        var cells = table.Ranked.Select((stats, i) => new CellReport(
            i + 1, stats,
            input.Trials.Where(t => keys.Select((k, j) => t.Manifest.Swept.GetValueOrDefault(k, "") == stats.Key[j]).All(b => b)).ToList(),
            keys.Count == 0 ? input.Experiment : string.Join(" · ", stats.Key))).ToList();

        // The main keys are the first two swept keys that take more than one value (a single trial's folder has
        // swept keys, but nothing to lay out over them).
        var main = keys.Where(k => Values(input, k).Count > 1).Take(2).ToList();
        Grid? grid = null;
        Bars? bars = null;
        if (main.Count == 2)
        {
            var pairs = Comparison.Compare(input.SummaryHeader, input.SummaryRows, metric, main, catalogs, options.Order).Ranked;
            var rows = Values(input, main[0]).ToList();
            var columns = Values(input, main[1]).ToList();
            var values = new CellStats?[rows.Count, columns.Count];
            foreach (var p in pairs) values[rows.IndexOf(p.Key[0]), columns.IndexOf(p.Key[1])] = p;
            grid = new Grid(main[0], main[1], rows, columns, values, keys.Count(k => Values(input, k).Count > 1) > 2);
        }
        else if (main.Count == 1)
        {
            var order = Values(input, main[0]).ToList();
            var single = Comparison.Compare(input.SummaryHeader, input.SummaryRows, metric, main, catalogs, options.Order).Ranked;
            bars = new Bars(main[0], [.. single.OrderBy(c => order.IndexOf(c.Key[0]))]);
        }

        return new ReportModel(input, table, cells, grid, bars, SelectLayerViews(cells, Math.Max(0, options.Cells)), SharedLossLimits(input, cells));
    }

    /// <summary>A swept key's values in the order the trials first take them (the sweep's order).</summary>
    private static IReadOnlyList<string> Values(ReportInput input, string key) =>
        input.Trials.Select(t => t.Manifest.Swept.GetValueOrDefault(key, "")).Distinct().ToList();

    /// <summary>The best and the worst <paramref name="n"/> ranked cells that have layer statistics (each once).</summary>
    private static IReadOnlyList<LayerView> SelectLayerViews(IReadOnlyList<CellReport> cells, int n)
    {
        var candidates = cells.Where(c => c.HasLayerStats && c.Stats.N > 0).ToList();
        var best = candidates.Take(n).ToList();
        var worst = candidates.Skip(best.Count).TakeLast(n).ToList();
        var total = candidates.Count;
        return
        [
            .. best.Select(c => LayerView.Of(c, total == 1 ? "the only cell" : $"best {candidates.IndexOf(c) + 1} of {total}")),
            .. worst.Select(c => LayerView.Of(c, $"worst {total - candidates.IndexOf(c)} of {total}")),
        ];
    }

    /// <summary>
    /// Loss axes shared by every cell with the same loss (a swept <c>loss</c> key; otherwise all cells), so curves
    /// are compared at a glance: from the lowest to the highest seed's value. A cell whose curves reach more
    /// than <see cref="SharedScaleRatio"/> times the group's median top (a diverging learning rate next to sane
    /// ones) would flatten all the others, so it keeps its own axis (and its caption says so).
    /// </summary>
    private static IReadOnlyDictionary<CellReport, (double Low, double High)> SharedLossLimits(ReportInput input, IReadOnlyList<CellReport> cells)
    {
        var limits = new Dictionary<CellReport, (double, double)>();
        foreach (var group in cells.Where(c => c.HasCurves).GroupBy(c => LossGroup(input, c)))
        {
            var ranges = group.Select(c => (Cell: c, Range: Range(c))).Where(r => r.Range is not null).Select(r => (r.Cell, Range: r.Range!.Value)).ToList();
            if (ranges.Count == 0) continue;
            var tops = ranges.Select(r => Math.Abs(r.Range.High)).Order().ToList();
            var median = tops[(tops.Count - 1) / 2];
            var shared = ranges.Where(r => Math.Abs(r.Range.High) <= SharedScaleRatio * Math.Max(median, 1e-12)).ToList();
            var low = shared.Min(r => r.Range.Low);
            var high = shared.Max(r => r.Range.High);
            if (high <= low) (low, high) = (low - 0.5, high + 0.5);
            var pad = (high - low) * 0.05;
            foreach (var (cell, _) in shared) limits[cell] = (low - pad, high + pad);
        }
        return limits;
    }

    public const double SharedScaleRatio = 10;

    private static (double Low, double High)? Range(CellReport cell)
    {
        var values = cell.Train.Min.Concat(cell.Val.Min).Concat(cell.Train.Max).Concat(cell.Val.Max).Where(double.IsFinite).ToList();
        return values.Count == 0 ? null : (values.Min(), values.Max());
    }

    public static string LossGroup(ReportInput input, CellReport cell) =>
        input.SweptKeys.ToList().IndexOf("loss") is var i and >= 0 ? cell.Stats.Key[i] : "";

    /// <summary>Trial counts by status, in lifecycle order, only the statuses that occur.</summary>
    public IReadOnlyList<(string Status, int Count)> StatusCounts =>
        Enum.GetValues<TrialStatus>().Select(s => (s.Text(), Input.Trials.Count(t => t.Manifest.Status == s.Text()))).Where(c => c.Item2 > 0)
            .Concat(Input.Trials.GroupBy(t => t.Manifest.Status).Where(g => !Enum.GetValues<TrialStatus>().Any(s => s.Text() == g.Key)).Select(g => (g.Key, g.Count())))
            .ToList();

    /// <summary>Trials that are not a plain result: diverged, failed, or not finished.</summary>
    public IReadOnlyList<TrialData> Problems =>
        Input.Trials.Where(t => t.Manifest.Status is not ("completed" or "early_stopped")).ToList();
}
