using System.Net;
using System.Text.RegularExpressions;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Reporting;
using ExperimentRunner.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ExperimentRunner.Tests.Reporting;

/// <summary>The HTML report of a results folder with known numbers (no libtorch: the files are written by hand).</summary>
public sealed partial class HtmlReportTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = ExprunCli.Run(args, new CliContext(output, error, new FakeTimeProvider(Now), TestRuntime.Instance));
        return (code, output.ToString(), error.ToString());
    }

    private string Report(params string[] extra)
    {
        var dir = ReportFixture.Write(_temp.Path);
        var (code, output, error) = Cli(["report", dir, .. extra]);
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        var path = Path.Combine(dir, HtmlReport.FileName);
        Assert.Contains($"wrote {path}: 8 trials, 4 cells, 13 plots, ranked by test_accuracy", output);
        // Written atomically: no temporary file is left beside it.
        Assert.Equal([HtmlReport.FileName], Directory.GetFiles(dir, "*report.html*").Select(Path.GetFileName));
        return File.ReadAllText(path);
    }

    [Fact]
    public void HasEverySectionInOrder()
    {
        var html = Report();
        var positions = HtmlReport.SectionIds.Select(id => html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal)).ToList();
        Assert.All(positions.Zip(HtmlReport.SectionIds), p => Assert.True(p.First >= 0, $"section '{p.Second}' missing"));
        Assert.Equal(positions.Order(), positions);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<h1>fixture</h1>", html);
        Assert.Contains("generated 2025-03-04 05:06 UTC", html);
        Assert.Contains("exprun 1.0.0, TorchSharp 0.107.0, libtorch 2.10.0.0, .NET 10.0.0", html);
    }

    [Fact]
    public void HeaderCountsTrialsByStatus()
    {
        var html = Report();
        Assert.Contains("<b>8</b> trials", html);
        foreach (var (status, count) in new[] { ("completed", 5), ("early_stopped", 1), ("diverged", 1), ("failed", 1) })
            Assert.Contains($"data-status=\"{status}\"><b>{count}</b>", html);
    }

    [Fact]
    public void HasOneSvgPerPlot()
    {
        var html = Report();
        // 1 heatmap (loss x model.activation), a loss plot per cell (4), and gradient + dead plots for the best 2 and worst 2 cells.
        Assert.Equal(13, Count(html, "<svg"));
        Assert.Equal(1, Count(html, "data-plot=\"heatmap\""));
        Assert.Equal(4, Count(html, "data-plot=\"loss\""));
        Assert.Equal(4, Count(html, "data-plot=\"grad\""));
        Assert.Equal(4, Count(html, "data-plot=\"dead\""));
        foreach (var figure in Figures().Matches(html).Select(m => m.Value))
            Assert.Equal(1, Count(figure, "<svg"));
    }

    [Fact]
    public void CellsOptionChoosesHowManyGetLayerPlots()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var (code, output, _) = Cli("report", dir, "--cells", "1", "-o", _temp.Combine("one.html"));
        Assert.Equal(0, code);
        var html = File.ReadAllText(_temp.Combine("one.html"));
        Assert.Contains("9 plots", output);
        Assert.Equal(2, Count(html, "data-plot=\"grad\""));
        // The best and the worst cell.
        Assert.Equal(["1", "4"], LayerViewCells().Matches(html).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void RankingTableListsCellsBestFirst()
    {
        var html = Report();
        var table = Between(html, "id=\"ranking-table\"", "</table>");
        var rows = Rows().Matches(Between(table, "<tbody>", "</tbody>")).Select(m => Cells(m.Value)).ToList();
        Assert.Equal(ReportFixture.Ranked.Select(c => new[] { c.Loss, c.Activation }), rows.Select(r => r.Skip(1).Take(2).ToArray()));
        Assert.Equal(["1", "2", "3", "4"], rows.Select(r => r[0]));
        Assert.Equal(["0.8500", "0.7500", "0.6500", "0.3000"], rows.Select(r => r[4]));
        Assert.Equal(["2/2", "2/2", "2/2", "1/2"], rows.Select(r => r[3]));
        Assert.Contains("<table class=\"sortable\" id=\"ranking-table\">", html);
    }

    [Fact]
    public void HeatmapAndLossPlotsShowTheKnownNumbers()
    {
        var model = ReportModel.Build(ReportInput.Load(ReportFixture.Write(_temp.Path)), new ReportOptions(), Catalogs.Default);
        var grid = Assert.IsType<Grid>(model.Grid);
        Assert.Equal(["cross_entropy", "mse"], grid.Rows);
        Assert.Equal(["relu", ReportFixture.EvilActivation], grid.Columns);
        Assert.Equal(0.85, grid.Values[0, 0]!.Mean, 12);
        Assert.Equal(0.65, grid.Values[0, 1]!.Mean, 12);
        Assert.Equal(0.75, grid.Values[1, 0]!.Mean, 12);
        Assert.Equal(0.30, grid.Values[1, 1]!.Mean, 12);

        var best = model.Cells[0];
        Assert.Equal([1.0, 2.0, 3.0], best.Train.Epochs);
        Assert.Equal(Enumerable.Range(1, 3).Select(e => Math.Round(1.0 / e + 0.1, 12)), best.Train.Mean.Select(v => Math.Round(v, 12)));
        Assert.Equal(Enumerable.Range(1, 3).Select(e => Math.Round(1.0 / e, 12)), best.Train.Min.Select(v => Math.Round(v, 12)));
        Assert.Equal(Enumerable.Range(1, 3).Select(e => Math.Round(1.0 / e + 0.2, 12)), best.Train.Max.Select(v => Math.Round(v, 12)));
        // The failed seed has no metrics.csv; the diverged one stops after epoch 2.
        var last = model.Cells[^1];
        Assert.Equal([1.0, 2.0], last.Val.Epochs);
        Assert.Equal([1.4, 0.8], last.Val.Mean.Select(v => Math.Round(v, 12)));

        var view = model.LayerViews[0];
        Assert.Equal(ReportFixture.Layers, view.Layers);
        Assert.Equal([1, 3], view.Epochs.Select(e => e.Epoch));
        // Geometric mean of 10^(l-3) * 1 and 10^(l-3) * 2.
        Assert.Equal(Math.Sqrt(2) * 1e-3, view.Epochs[0].GradNorm[0], 12);
        Assert.Equal([0.1, 0.1, 0.0], view.Epochs[0].DeadFraction.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void FailedAndDivergedTrialsAreListedWithTheirErrors()
    {
        var html = Report();
        var table = Between(html, "id=\"problems-table\"", "</table>");
        Assert.Equal(["failed", "diverged"], ProblemRows().Matches(table).Select(m => m.Groups[1].Value));
        Assert.Contains("t6-mse-s1", table);
        Assert.Contains("t7-mse-s2", table);
        Assert.Contains(WebUtility.HtmlEncode("boom <script>alert('x')</script> & more"), table);
        Assert.Contains("native tail line 2", table);
        Assert.Contains("loss became non-finite in epoch 2", table);
        // The trial table keeps every row, the failed one included.
        Assert.Equal(8, Rows().Matches(Between(Between(html, "id=\"trials-table\"", "</table>"), "<tbody>", "</tbody>")).Count);
    }

    [Fact]
    public void EscapesNamesAndErrors()
    {
        var html = Report();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<tanh", html);
        Assert.Contains("&lt;tanh &amp; co&gt;", html);
        Assert.Equal(1, Count(html, "<script>"));
    }

    [Fact]
    public void NeedsNothingFromTheNetwork()
    {
        var html = Report();
        Assert.DoesNotMatch(@"(?i)\b(src|href)\s*=\s*[""']?\s*(https?:)?//", html);
        Assert.DoesNotMatch(@"(?i)url\(\s*[""']?\s*(https?:)?//", html);
        Assert.DoesNotMatch(@"(?i)@import|<link\b|<script\s+src|<img\b|<iframe\b", html);
        // The only absolute URLs are XML namespace names, which are never fetched.
        Assert.All(Regex.Matches(html, @"https?://[^""'\s)]+").Select(m => m.Value), url => Assert.Equal("http://www.w3.org/2000/svg", url));
    }

    [Fact]
    public void PlotsDrawTextAsOutlinesWithIdsUniqueInThePage()
    {
        var html = Report();
        Assert.DoesNotContain("<text", html);
        Assert.True(Count(html, "<use ") > 100);
        var ids = Regex.Matches(html, @"\sid=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Every in-page reference resolves.
        var references = Regex.Matches(html, @"(?:href=""#|url\(#)([^"")]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r, ids));
    }

    [Fact]
    public void PageIsResponsiveAndPrintable()
    {
        var html = Report();
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html);
        Assert.Contains("max-width: 1200px", html);
        Assert.Contains("@media print", html);
        var print = html[html.IndexOf("@media print", StringComparison.Ordinal)..];
        Assert.Contains("break-inside: avoid", print);
        Assert.DoesNotContain("position: sticky", html);
        Assert.DoesNotContain("position: fixed", html);
        // Every plot scales with the page.
        Assert.Equal(Count(html, "<svg"), Regex.Matches(html, @"<svg[^>]*viewBox=""0 0 \d+ \d+""").Count);
    }

    [Fact]
    public void ReportsASingleTrialFolder()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var trial = Path.Combine(ExperimentResults.TrialsDir(dir), "t0-cross_entropy-s1");
        var (code, output, error) = Cli("report", trial);
        Assert.True(code == 0, error);
        Assert.Contains("1 trial, 1 cell, 3 plots", output);
        var html = File.ReadAllText(Path.Combine(trial, HtmlReport.FileName));
        Assert.DoesNotContain("id=\"by-keys\"", html);
        Assert.Contains("id=\"ranking-table\"", html);
        Assert.Equal(3, Count(html, "<svg"));
    }

    [Fact]
    public void OneSweptKeyGivesABarChart()
    {
        var dir = ReportFixture.Write(_temp.Path);
        foreach (var trialDir in Directory.EnumerateDirectories(ExperimentResults.TrialsDir(dir)))
        {
            var m = RunManifest.TryLoad(trialDir)!;
            (m with { Swept = new Dictionary<string, string> { ["loss"] = m.Swept["loss"] } }).Save(trialDir);
        }
        var (code, output, error) = Cli("report", dir);
        Assert.True(code == 0, error);
        var html = File.ReadAllText(Path.Combine(dir, HtmlReport.FileName));
        Assert.Equal(1, Count(html, "data-plot=\"bars\""));
        Assert.Equal(0, Count(html, "data-plot=\"heatmap\""));
        Assert.Contains("2 cells", output);
    }

    [Fact]
    public void MetricOptionRanksByAnotherColumn()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var (code, output, error) = Cli("report", dir, "--metric", "test_loss");
        Assert.True(code == 0, error);
        Assert.Contains("ranked by test_loss", output);
        var html = File.ReadAllText(Path.Combine(dir, HtmlReport.FileName));
        Assert.Contains("Ranking by test_loss", html);
        Assert.Contains("test_loss (lower is better)", html);
    }

    [Fact]
    public void UsageErrorsNameTheProblem()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var (code, _, error) = Cli("report", dir, "--metric", "test_acuracy");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--metric: 'test_acuracy' is not a numeric summary column (did you mean 'test_accuracy'?)", error);

        (code, _, error) = Cli("report", _temp.Combine("nowhere"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("no such folder", error);

        Directory.CreateDirectory(_temp.Combine("empty"));
        (code, _, error) = Cli("report", _temp.Combine("empty"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("no trial results here", error);
        Assert.False(File.Exists(_temp.Combine("empty", HtmlReport.FileName)));
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{start}' not found");
        var j = text.IndexOf(end, i + start.Length, StringComparison.Ordinal);
        return text[(i + start.Length)..j];
    }

    private static string[] Cells(string row) =>
        CellText().Matches(row).Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", ""))).ToArray();

    [GeneratedRegex(@"<tr\b[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Rows();

    [GeneratedRegex(@"<td\b[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellText();

    [GeneratedRegex(@"<tr data-status=""([a-z_]+)"">")]
    private static partial Regex ProblemRows();

    [GeneratedRegex(@"<figure class=""plot""[^>]*>.*?</figure>", RegexOptions.Singleline)]
    private static partial Regex Figures();

    [GeneratedRegex(@"<div class=""layer-view"" data-cell=""(\d+)"">")]
    private static partial Regex LayerViewCells();
}
