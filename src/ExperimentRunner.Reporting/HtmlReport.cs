using System.Globalization;
using System.Net;
using System.Text;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Reporting;

/// <summary>What a written report holds (for the command's one-line answer and for tests).</summary>
public sealed record ReportSummary(string Path, int Trials, int Cells, int Plots, string Metric);

/// <summary>
/// Lays a <see cref="ReportModel"/> out as one self-contained HTML page: inline CSS, inline SVG plots, a small
/// inline script that sorts tables. Every text that comes from the results folder is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    // Plot sizes in SVG pixels (the page scales them to its width).
    private const int LossWidth = 340, LossHeight = 240;
    private const int LayerWidth = 540, LayerHeight = 330;

    /// <summary>Section ids, in page order (a section with nothing to show is left out).</summary>
    public static readonly string[] SectionIds = ["overview", "by-keys", "ranking", "loss-curves", "layers", "problems", "trials"];

    /// <summary>Renders the report and writes it atomically (a reader sees the old page or the new one, never half).</summary>
    public static ReportSummary Write(ReportModel model, string path, DateTimeOffset generatedAt)
    {
        var (html, plots) = Render(model, generatedAt);
        AtomicFile.WriteAllText(path, html);
        return new ReportSummary(path, model.Input.Trials.Count, model.Cells.Count, plots, model.Metric);
    }

    public static (string Html, int Plots) Render(ReportModel model, DateTimeOffset generatedAt)
    {
        var svg = new SvgInliner();
        var page = new StringBuilder();
        var input = model.Input;
        page.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="exprun report">
            <title>{H(input.Experiment)}: exprun report</title>
            <style>
            {ReportAssets.Css}
            </style>
            </head>
            <body>
            <main class="page">

            """);
        Overview(page, model, generatedAt);
        ByKeys(page, model, svg);
        Ranking(page, model);
        LossCurves(page, model, svg);
        Layers(page, model, svg);
        Problems(page, model);
        Trials(page, model);
        page.Append($"""
            <footer class="muted">Written by <code>exprun report</code> from <code>{H(input.Dir)}</code>. Plots drawn with ScottPlot; text in plots is drawn as outlines, so the page needs no fonts or network.</footer>
            </main>
            <script>
            {ReportAssets.Script}
            </script>
            </body>
            </html>

            """);
        return (page.ToString(), svg.Count);
    }

    private static void Overview(StringBuilder page, ReportModel model, DateTimeOffset generatedAt)
    {
        var input = model.Input;
        var manifests = input.Trials.Select(t => t.Manifest).ToList();
        page.Append($"""
            <header id="overview">
            <h1>{H(input.Experiment)}</h1>
            <div class="muted">exprun report of <code>{H(input.Dir)}</code>, generated {generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</div>
            <ul class="chips" aria-label="trials by status">
            <li class="chip"><b>{input.Trials.Count}</b> {(input.Trials.Count == 1 ? "trial" : "trials")}</li>

            """);
        foreach (var (status, count) in model.StatusCounts)
            page.Append($"<li class=\"chip st-{H(status)}\" data-status=\"{H(status)}\"><b>{count}</b> {H(status.Replace('_', ' '))}</li>\n");
        page.Append("</ul>\n<dl class=\"facts\">\n");
        // A tuned key is no cell of its own: each cell ran at the value its tuning chose.
        var tuned = Core.Tuning.TuningRecords.TunedKeys(input.Dir);
        foreach (var key in input.SweptKeys)
        {
            var values = input.Trials.Select(t => t.Manifest.Swept.GetValueOrDefault(key, "")).Distinct().ToList();
            if (tuned.Contains(key)) Fact(page, $"tuned {key}", $"{string.Join(", ", values)}: chosen per cell on validation ({Core.Tuning.TuningPlan.FolderName}/{Core.Tuning.TuningRecords.ChoicesFile})");
            else Fact(page, $"swept {key}", $"{string.Join(", ", values)} ({values.Count})");
        }
        var seeds = manifests.Select(m => m.Seed).Distinct().Order().ToList();
        Fact(page, seeds.Count == 1 ? "seed" : "seeds", $"{string.Join(", ", seeds)}");
        Fact(page, "ranked by", $"{model.Metric} ({(model.Table.HigherIsBetter ? "higher" : "lower")} is better), mean over seeds with a t-based 95% interval");
        var versions = manifests.Select(m => m.Versions).OfType<Core.Results.RuntimeVersions>().ToList();
        string Distinct(Func<Core.Results.RuntimeVersions, string> field) => string.Join(" | ", versions.Select(field).Distinct());
        if (versions.Count > 0)
        {
            Fact(page, "versions", $"exprun {Distinct(v => v.Exprun)}, TorchSharp {Distinct(v => v.TorchSharp)}, libtorch {Distinct(v => v.LibTorch)}, {Distinct(v => v.DotNet)}");
            Fact(page, "os", Distinct(v => v.Os));
        }
        Fact(page, "torch threads", string.Join(", ", manifests.Select(m => m.Threads).Distinct().Order()));
        Fact(page, "training time", $"{manifests.Sum(m => m.Seconds).ToString("0.0", CultureInfo.InvariantCulture)} s in all");
        var warnings = manifests.SelectMany(m => m.Warnings).Distinct().ToList();
        if (warnings.Count > 0) Fact(page, "warnings", string.Join("; ", warnings));
        page.Append("</dl>\n<nav class=\"toc\" aria-label=\"sections\">");
        foreach (var (id, title) in new[] { ("by-keys", "by swept keys"), ("ranking", "ranking"), ("loss-curves", "loss curves"), ("layers", "per-layer diagnostics"), ("problems", "failed and diverged"), ("trials", "all trials") })
            if (id != "by-keys" || model.Grid is not null || model.Bars is not null)
                page.Append($"<a href=\"#{id}\">{title}</a>");
        page.Append("</nav>\n</header>\n");
    }

    private static void Fact(StringBuilder page, string name, string value) =>
        page.Append($"<dt>{H(name)}</dt><dd>{H(value)}</dd>\n");

    private static void ByKeys(StringBuilder page, ReportModel model, SvgInliner svg)
    {
        var metric = model.Metric;
        var direction = model.Table.HigherIsBetter ? "higher is better" : "lower is better";
        if (model.Grid is { } grid)
        {
            var width = Math.Clamp(170 + grid.Columns.Count * Charts.ColumnPixels, 420, 1150);
            var height = Math.Clamp(130 + grid.Rows.Count * Charts.RowPixels, 260, 900);
            var plot = svg.Render(Charts.Heatmap(grid, model.Table.HigherIsBetter), width, height, $"{metric} by {grid.RowKey} and {grid.ColumnKey}");
            page.Append($"""
                <section id="by-keys">
                <h2>{H(metric)} by {H(grid.RowKey)} × {H(grid.ColumnKey)}</h2>
                <figure class="plot" data-plot="heatmap" style="max-width:{width + 18}px">
                <figcaption>Mean {H(metric)} over seeds{(grid.OtherKeysAveraged ? " and the other swept keys" : "")} ({direction}; brighter is better). Grey: no trial with a value.</figcaption>
                {plot}
                </figure>
                </section>

                """);
        }
        else if (model.Bars is { } bars)
        {
            var width = Math.Clamp(160 + bars.Values.Count * Charts.BarPixels, 420, 1150);
            var plot = svg.Render(Charts.BarChart(bars, metric), width, 380, $"{metric} by {bars.Key}");
            page.Append($"""
                <section id="by-keys">
                <h2>{H(metric)} by {H(bars.Key)}</h2>
                <figure class="plot" data-plot="bars" style="max-width:{width + 18}px">
                <figcaption>Mean {H(metric)} over seeds with the 95% interval ({direction}).</figcaption>
                {plot}
                </figure>
                </section>

                """);
        }
    }

    private static void Ranking(StringBuilder page, ReportModel model)
    {
        var table = model.Table;
        var header = ComparisonFormatter.Header(table);
        // The numbers exactly as `exprun compare` prints them (four decimals, or four significant digits below 1e-3:
        // a gradient ratio of 3e-7 is not 0.0000).
        var rows = ComparisonFormatter.Rows(table, ComparisonFormatter.Short);
        page.Append($"""
            <section id="ranking">
            <h2>Ranking by {H(table.Metric)}</h2>
            <p>Cells (swept values, all seeds) best first, as <code>exprun compare</code> prints them: mean over seeds with a t-based 95% interval, n = trials with a value / trials in the cell, and whether a cell's interval overlaps the best one's. Click a header to sort.</p>
            <div class="table-wrap"><table class="sortable" id="ranking-table">
            <thead><tr>
            """);
        var keyColumns = table.By.Count;
        for (var i = 0; i < header.Count; i++)
            page.Append($"<th scope=\"col\"{(i == 0 || i > keyColumns && i < header.Count - 1 ? " class=\"num\"" : "")}>{Breakable(header[i])}</th>");
        page.Append("</tr></thead>\n<tbody>\n");
        for (var r = 0; r < rows.Count; r++)
        {
            var cell = model.Cells[r];
            page.Append($"<tr{(ReferenceEquals(table.Ranked[r], table.Best) ? " class=\"best\"" : "")} data-cell=\"{cell.Rank}\">");
            for (var i = 0; i < rows[r].Count; i++)
            {
                var text = rows[r][i];
                if (i == 0) page.Append($"<td class=\"num\">{H(text)}</td>");
                else if (i <= keyColumns) page.Append($"<td>{(cell.HasCurves ? $"<a href=\"#{cell.Anchor}\">{H(text)}</a>" : H(text))}</td>");
                else if (i == keyColumns + 1) page.Append($"<td class=\"num\" data-v=\"{cell.Stats.N}\">{H(text)}</td>");
                else if (i < rows[r].Count - 1) page.Append($"<td class=\"num\">{H(text)}</td>");
                else page.Append($"<td>{H(text)}</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append($"""
            </tbody></table></div>
            <p class="muted">{(table.HigherIsBetter ? "higher" : "lower")} is better; {model.Cells.Count} {(model.Cells.Count == 1 ? "cell" : "cells")}.</p>
            </section>

            """);
    }

    private static void LossCurves(StringBuilder page, ReportModel model, SvgInliner svg)
    {
        var cells = model.Cells.Where(c => c.HasCurves).ToList();
        var lossKeyed = model.Input.SweptKeys.Contains("loss");
        page.Append($"""
            <section id="loss-curves">
            <h2>Loss curves</h2>
            <p class="key"><span><span class="swatch" style="background:{Charts.Train.ToHex()[..7]}"></span>train</span><span><span class="swatch" style="background:{Charts.Val.ToHex()[..7]}"></span>validation</span><span class="muted">line: mean over seeds; band: min to max over seeds; one y-axis for all cells{(lossKeyed ? " with the same loss" : "")}, except a cell reaching {ReportModel.SharedScaleRatio:0}&#215; higher than most ("own y-scale")</span></p>

            """);
        if (cells.Count == 0)
        {
            page.Append("<p class=\"muted\">No finished trial recorded an epoch (no metrics.csv; failed and unfinished trials are not plotted).</p>\n</section>\n");
            return;
        }
        var lastEpoch = cells.Max(c => c.Train.Epochs.Count);
        // A few cells get bigger plots; many get small multiples.
        var few = cells.Count <= 3;
        page.Append(few ? "<div class=\"grid few\">\n" : "<div class=\"grid\">\n");
        foreach (var cell in cells)
        {
            var limits = model.LossLimits.TryGetValue(cell, out var l) ? l : ((double Low, double High)?)null;
            var plot = svg.Render(Charts.LossCurves(cell, limits, lastEpoch), few ? LayerWidth : LossWidth, few ? LayerHeight : LossHeight, $"loss curves of {cell.Label}");
            var scale = limits is null ? ", own y-scale" : "";
            page.Append($"""
                <figure class="plot" id="{cell.Anchor}" data-plot="loss">
                <figcaption><b>#{cell.Rank}</b> {H(cell.Label)} <span class="muted">{H(model.Metric)} {H(Charts.Format(cell.Stats.Mean))}, {Seeds(cell)}{scale}</span></figcaption>
                {plot}
                </figure>

                """);
        }
        page.Append("</div>\n</section>\n");
    }

    private static string EpochKey(LayerView view) =>
        string.Concat(view.Epochs.Select((e, i) =>
            $"<span><span class=\"swatch\" style=\"background:{Charts.EpochColor(i, view.Epochs.Count).ToHex()[..7]}\"></span>epoch {e.Epoch}</span>"));

    private static string Seeds(CellReport cell)
    {
        var parts = new List<string> { $"{cell.Trials.Count} {(cell.Trials.Count == 1 ? "seed" : "seeds")}" };
        foreach (var group in cell.Trials.GroupBy(t => t.Manifest.Status).Where(g => g.Key is not ("completed" or "early_stopped")))
            parts.Add($"{group.Count()} {H(group.Key.Replace('_', ' '))}{(group.First().Manifest.StatusValue.IsTerminal() ? "" : " (not plotted)")}");
        return string.Join(", ", parts);
    }

    private static void Layers(StringBuilder page, ReportModel model, SvgInliner svg)
    {
        page.Append("""
            <section id="layers">
            <h2>Per-layer diagnostics</h2>
            <p>The best and the worst cells by the ranking metric. Measured on a fixed probe batch (see <code>layer_stats.csv</code>); gradient norms are geometric means over seeds, fractions arithmetic means. Left: gradient norm of each layer's weights (log scale): a first layer far below the last means vanishing gradients. Right: dead units (output zero for every probe example, filled circles) and saturated units of bounded activations (open triangles). Colours run from the first measured epoch (light) to the last (dark).</p>

            """);
        if (model.LayerViews.Count == 0)
            page.Append("<p class=\"muted\">No trial wrote layer_stats.csv (diagnostics off, or no trial finished an epoch).</p>\n");
        foreach (var view in model.LayerViews)
        {
            var cell = view.Cell;
            var grad = svg.Render(Charts.GradientNorms(view), LayerWidth, LayerHeight, $"gradient norm per layer, {cell.Label}");
            var dead = svg.Render(Charts.DeadFractions(view), LayerWidth, LayerHeight, $"dead and saturated fraction per layer, {cell.Label}");
            var activations = string.Join(", ", cell.Plotted.SelectMany(t => t.Layers).Select(r => r.Activation).Distinct());
            page.Append($"""
                <div class="layer-view" data-cell="{cell.Rank}">
                <h3>#{cell.Rank} {H(cell.Label)} <span class="muted">({H(view.Why)}; {H(model.Metric)} {H(Charts.Format(cell.Stats.Mean))}; {view.Seeds} {(view.Seeds == 1 ? "seed" : "seeds")}; activations {H(activations)})</span></h3>
                <p class="key">{EpochKey(view)}<span class="muted">● dead&#160;&#160;△ saturated</span></p>
                <div class="pair">
                <figure class="plot" data-plot="grad"><figcaption>Gradient norm per layer (log scale)</figcaption>
                {grad}
                </figure>
                <figure class="plot" data-plot="dead"><figcaption>Dead (●) and saturated (△) fraction of units per layer</figcaption>
                {dead}
                </figure>
                </div>
                </div>

                """);
        }
        page.Append("</section>\n");
    }

    private static void Problems(StringBuilder page, ReportModel model)
    {
        var problems = model.Problems;
        var keys = model.Input.SweptKeys;
        page.Append("""
            <section id="problems">
            <h2>Failed and diverged trials</h2>

            """);
        if (problems.Count == 0)
        {
            page.Append("<p>None: every trial completed or stopped early.</p>\n</section>\n");
            return;
        }
        page.Append("""
            <p>A diverged trial is a result (its loss became non-finite; the summary keeps what it reached before), a failed one is an error (its cell's n counts only the others). Nothing is dropped silently.</p>
            <div class="table-wrap"><table class="sortable" id="problems-table">
            <thead><tr><th scope="col">trial</th><th scope="col">status</th>
            """);
        foreach (var key in keys) page.Append($"<th scope=\"col\">{H(key)}</th>");
        page.Append("<th scope=\"col\" class=\"num\">seed</th><th scope=\"col\" class=\"num\">epochs</th><th scope=\"col\" class=\"num\">diverged_epoch</th><th scope=\"col\">error</th></tr></thead>\n<tbody>\n");
        foreach (var trial in problems)
        {
            var m = trial.Manifest;
            page.Append($"<tr data-status=\"{H(m.Status)}\"><td class=\"id\"><code>{H(m.Trial)}</code></td><td>{H(m.Status)}</td>");
            foreach (var key in keys) page.Append($"<td>{H(m.Swept.GetValueOrDefault(key, ""))}</td>");
            page.Append($"<td class=\"num\">{m.Seed}</td><td class=\"num\">{m.Epochs}</td><td class=\"num\">{m.DivergedEpoch?.ToString(CultureInfo.InvariantCulture) ?? ""}</td><td class=\"wrap\">{ErrorCell(m)}</td></tr>\n");
        }
        page.Append("</tbody></table></div>\n</section>\n");
    }

    private static string ErrorCell(Core.Results.RunManifest m)
    {
        var error = m.Error?.Trim() ?? (m.StatusValue == Core.Results.TrialStatus.Diverged ? $"loss became non-finite in epoch {m.DivergedEpoch}" : "");
        var firstLine = error.Split('\n', 2)[0].Trim();
        var more = error.Length > firstLine.Length || !string.IsNullOrWhiteSpace(m.ErrorTail);
        if (!more) return H(firstLine);
        var detail = string.IsNullOrWhiteSpace(m.ErrorTail) ? error : $"{error}\n\n{m.ErrorTail!.Trim()}";
        return $"<details><summary>{H(firstLine)}</summary><pre>{H(detail)}</pre></details>";
    }

    private static void Trials(StringBuilder page, ReportModel model)
    {
        var input = model.Input;
        var header = input.SummaryHeader;
        page.Append($"""
            <section id="trials">
            <h2>All trials</h2>
            <p class="print-only muted">The {(input.Trials.Count == 1 ? "trial's row is" : $"{input.Trials.Count} trials' rows are")} in summary.csv (and in this page on screen).</p>
            <details><summary>{input.Trials.Count} {(input.Trials.Count == 1 ? "trial" : "trials")}: the rows of summary.csv (numbers rounded; sorting uses the full values)</summary>
            <div class="table-wrap"><table class="sortable" id="trials-table">
            <thead><tr>
            """);
        var numeric = input.NumericColumns.ToHashSet();
        foreach (var h in header) page.Append($"<th scope=\"col\"{(numeric.Contains(h) ? " class=\"num\"" : "")}>{Breakable(h)}</th>");
        page.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in input.SummaryRows)
        {
            page.Append("<tr>");
            for (var i = 0; i < header.Count; i++)
            {
                var text = row[i];
                if (!numeric.Contains(header[i])) page.Append(header[i] == "error" ? $"<td class=\"wrap\">{H(text)}</td>" : $"<td>{H(text)}</td>");
                else if (Core.Results.CsvText.ParseNumber(text) is { } v && text.Length > 8)
                    page.Append($"<td class=\"num\" data-v=\"{H(text)}\">{H(v.ToString("G4", CultureInfo.InvariantCulture))}</td>");
                else page.Append($"<td class=\"num\">{H(text)}</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append("</tbody></table></div>\n</details>\n</section>\n");
    }

    /// <summary>A column name that may wrap after its underscores and dots (long headers would widen the table).</summary>
    private static string Breakable(string name) => H(name).Replace("_", "_<wbr>").Replace(".", ".<wbr>");

    /// <summary>HTML-escapes text from the results folder (names, values, errors) for element content and attributes.</summary>
    public static string H(string? text) => WebUtility.HtmlEncode(text ?? "");
}
