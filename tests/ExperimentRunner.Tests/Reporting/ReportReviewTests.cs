using System.Net;
using System.Text.RegularExpressions;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Reporting;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Diagnostics;

namespace ExperimentRunner.Tests.Reporting;

/// <summary>Regression tests for defects found in review of the report.</summary>
public sealed partial class ReportReviewTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = ExprunCli.Run(args, new CliContext(output, error, TimeProvider.System, TestRuntime.Instance));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void RankingPrintsTinyMeansAsCompareDoes()
    {
        // A vanishing-gradient ratio of 3e-7 is what the metric is about; the report printed it as 0.0000.
        var dir = ReportFixture.Write(_temp.Path);
        foreach (var trialDir in Directory.GetDirectories(ExperimentResults.TrialsDir(dir)))
        {
            var manifest = RunManifest.TryLoad(trialDir)!;
            var diagnostics = manifest.Diagnostics.ToDictionary();
            diagnostics["grad_norm_ratio"] = manifest.Index * 1e-7;
            (manifest with { Diagnostics = diagnostics }).Save(trialDir);
        }

        Assert.Equal(0, Cli("collect", dir).Code);
        var (code, _, error) = Cli("report", dir, "--metric", "grad_norm_ratio", "--order", "lower");
        Assert.True(code == 0, error);
        var (compareCode, markdown, compareError) = Cli("compare", dir, "--metric", "grad_norm_ratio", "--order", "lower", "--format", "markdown");
        Assert.True(compareCode == 0, compareError);

        var html = File.ReadAllText(Path.Combine(dir, HtmlReport.FileName));
        var table = html[html.IndexOf("id=\"ranking-table\"", StringComparison.Ordinal)..];
        table = table[table.IndexOf("<tbody>", StringComparison.Ordinal)..table.IndexOf("</tbody>", StringComparison.Ordinal)];
        var reportRows = Regex.Matches(table, @"<tr\b.*?</tr>", RegexOptions.Singleline)
            .Select(r => Regex.Matches(r.Value, @"<td\b[^>]*>(.*?)</td>", RegexOptions.Singleline)
                .Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", ""))).ToArray())
            .ToList();
        var compareRows = markdown.Split('\n').Skip(2).Where(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim().Replace("\\|", "|")).ToArray()).ToList();

        Assert.Equal(compareRows.Count, reportRows.Count);
        Assert.Equal(compareRows, reportRows);
        Assert.Contains(reportRows, r => r[4].Contains("E-7", StringComparison.Ordinal));
    }

    [Fact]
    public void PartialEpochsOfAFailedTrialAreNotPlotted()
    {
        // The fixture's failed trial (mse, evil activation, seed 1) crashed after training three epochs with huge
        // losses and odd layer statistics; its cell's statistics leave it out, so its plots must too.
        var dir = ReportFixture.Write(_temp.Path);
        var failed = Directory.GetDirectories(ExperimentResults.TrialsDir(dir)).Single(d => RunManifest.TryLoad(d)!.Status == "failed");
        var records = Enumerable.Range(1, 3).Select(e => new EpochRecord(
            e, 100.0 * e, 200.0 * e, new Dictionary<string, double> { ["accuracy"] = 0.1 }, new Dictionary<string, double> { ["accuracy"] = 0.1 }, 0.01, 0.1)).ToList();
        AtomicFile.WriteAllText(Path.Combine(failed, "metrics.csv"), MetricsCsv.Write(ReportFixture.Metrics, records));
        var stats = ReportFixture.Layers.Select(layer => new LayerStat(1, layer, "tanh", 0.1, 0.5, DeadFraction: 1.0, SaturatedFraction: 1.0, GradNorm: 1e6, WeightNorm: 2)).ToList();
        AtomicFile.WriteAllText(Path.Combine(failed, LayerStatsCollector.FileName), LayerStatsCollector.Write(stats));

        var model = ReportModel.Build(ReportInput.Load(dir), new ReportOptions(), Catalogs.Default);

        var worst = model.Cells[^1];
        Assert.Equal(1, worst.Stats.N);
        // Only the diverged seed 2, as before the failed trial wrote any epoch.
        Assert.Equal([1.0, 2.0], worst.Val.Epochs);
        Assert.Equal([1.4, 0.8], worst.Val.Mean.Select(v => Math.Round(v, 12)));
        var view = model.LayerViews.Single(v => v.Cell == worst);
        Assert.Equal(1, view.Seeds);
        Assert.All(view.Epochs.SelectMany(e => e.DeadFraction), d => Assert.True(d < 1.0));

        var (html, _) = HtmlReport.Render(model, DateTimeOffset.UnixEpoch);
        Assert.Contains("1 failed (not plotted)", html);
    }
}

public sealed class ReportOutputReviewTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnUnwritableOutputIsAnErrorLineNotACrash()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        // -o naming an existing folder: the final rename cannot replace it.
        var code = ExprunCli.Run(["report", dir, "-o", _temp.Path], new CliContext(output, error, TimeProvider.System, TestRuntime.Instance));

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"{_temp.Path}: error: cannot write the report:", error.ToString());
        Assert.Equal("", output.ToString());
    }
}

public sealed class BarChartReviewTests
{
    [Fact]
    public void AValueWhoseTrialsAllFailedGetsNoBar()
    {
        // Lower is better: a zero-height bar for the failed value would look like the best result.
        var bars = new Bars("optimizer.lr",
        [
            new ExperimentRunner.Core.Analysis.CellStats(["0.1"], 2, 2, 0.8, 0.1, 0.7, 0.9),
            new ExperimentRunner.Core.Analysis.CellStats(["10"], 0, 2, double.NaN, double.NaN, double.NaN, double.NaN),
        ]);

        var plot = Charts.BarChart(bars, "test_loss");

        var drawn = plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>().SelectMany(p => p.Bars).ToList();
        var bar = Assert.Single(drawn);
        Assert.Equal(0, bar.Position);
        Assert.Equal(0.8, bar.Value);
        Assert.Contains(plot.GetPlottables().OfType<ScottPlot.Plottables.Text>(), t => t.LabelText == "no value");
    }
}
