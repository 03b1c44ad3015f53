using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Reporting;
using ExperimentRunner.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;
using Xunit.Abstractions;

namespace ExperimentRunner.Tests.Reporting;

/// <summary>
/// The report of a real sweep (2 losses x 2 activations x 2 seeds, trained in this process) as a browser shows
/// it: headless Chromium loads the file, its DOM after load must hold every plot and the ranking table (sorted
/// by the page's own script), and its screenshot must not be blank. The screenshot and the page are kept in
/// TestResults/ beside the test assembly. Skipped, with the reason shown, where Debian's chromium is not installed
/// (.ci/run installs it).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ChromiumReportTests(ITestOutputHelper output) : TorchTest
{
    public const string Chromium = "/usr/bin/chromium";

    private const string Sweep = """
        name: report-e2e
        seed: 1
        dataset: {name: spirals, samples: 240, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [16, 16]}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.02}
        training: {epochs: 4, batch_size: 32}
        diagnostics: {layer_stats: true, probe_size: 64}
        sweep:
          parameters:
            loss: [cross_entropy, mse]
            model.activation: [relu, sigmoid]
          seeds: 2
        """;

    [SkippableFact]
    public void ReportRendersInHeadlessChromium()
    {
        RequiredService.SkipUnless(File.Exists(Chromium), $"{Chromium} not found: install Debian's chromium package (apt-get install -y chromium) to run the browser test");

        var file = Temp.Write("report-e2e.yaml", Sweep);
        var results = Temp.Combine("results");
        var (code, _, error) = Cli("run", file, "-o", results);
        Assert.True(code == 0, error);
        var dir = Path.Combine(results, "report-e2e");
        (code, var said, error) = Cli("report", dir);
        Assert.True(code == 0, error);
        Assert.Contains("8 trials, 4 cells, 13 plots", said);
        var report = Path.Combine(dir, HtmlReport.FileName);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "report-screenshot.png");
        File.Delete(screenshot);
        File.Copy(report, Path.Combine(artifacts, "report.html"), overwrite: true);

        var dom = RunChromium("--dump-dom", $"file://{report}");
        // 1 heatmap, 4 loss plots, gradient and dead-fraction plots for 4 cells: each an <svg> in a figure.
        Assert.Equal(13, Regex.Matches(dom, "<svg").Count);
        foreach (var (plot, count) in new[] { ("heatmap", 1), ("loss", 4), ("grad", 4), ("dead", 4) })
            Assert.Equal(count, Regex.Matches(dom, $"data-plot=\"{plot}\"").Count);
        var table = Regex.Match(dom, "<table class=\"sortable\" id=\"ranking-table\"[^>]*>(.*?)</table>", RegexOptions.Singleline);
        Assert.True(table.Success, "ranking table missing from the DOM");
        // The page's script ran after load: it marks the tables it made sortable.
        Assert.Contains("data-sortable=\"ready\"", table.Value);
        Assert.Equal(4, Regex.Matches(table.Groups[1].Value, "<tr[^>]*data-cell=").Count);

        // Clicking a header sorts by that column: ascending on the first click, descending on the second.
        var sortCheck = Path.Combine(dir, "sort-check.html");
        File.WriteAllText(sortCheck, File.ReadAllText(report).Replace("</body>", SortProbe + "</body>", StringComparison.Ordinal));
        var sorted = Regex.Match(RunChromium("--dump-dom", $"file://{sortCheck}"), "data-probe=\"([^\"]*)\"").Groups[1].Value.Split('|');
        Assert.Equal(3, sorted.Length);
        var ascending = sorted[0].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var descending = sorted[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(4, ascending.Count);
        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal(ascending.OrderDescending(), descending);
        Assert.Equal("descending", sorted[2]);

        RunChromium($"--screenshot={screenshot}", "--window-size=1280,2400", $"file://{report}");
        output.WriteLine($"screenshot: {screenshot}");
        output.WriteLine($"report: {Path.Combine(artifacts, "report.html")}");
        using var image = SKBitmap.Decode(screenshot);
        Assert.NotNull(image);
        Assert.Equal((1280, 2400), (image.Width, image.Height));
        var (colours, inked) = Inspect(image);
        // A blank page is one colour; this one has plots in many colours and text over much of it.
        Assert.True(colours > 200, $"only {colours} distinct colours in the screenshot");
        Assert.True(inked > 0.03, $"only {inked:P1} of the screenshot is not background");
    }

    /// <summary>Clicks the ranking table's mean header twice and records the column's order after each click.</summary>
    private const string SortProbe = """
        <script>
        (function () {
          var table = document.getElementById('ranking-table');
          var header = Array.prototype.find.call(table.tHead.rows[0].cells, function (th) { return /_mean/.test(th.textContent); });
          var column = header.cellIndex;
          function values() { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[column].textContent.trim(); }).join(','); }
          header.click();
          var up = values();
          header.click();
          document.body.setAttribute('data-probe', up + '|' + values() + '|' + header.getAttribute('aria-sort'));
        })();
        </script>
        """;

    /// <summary>Distinct colours (sampled every 4th pixel) and the share of pixels that are not near-white.</summary>
    private static (int Colours, double Inked) Inspect(SKBitmap image)
    {
        var colours = new HashSet<uint>();
        long inked = 0, total = 0;
        for (var y = 0; y < image.Height; y += 4)
        {
            for (var x = 0; x < image.Width; x += 4)
            {
                var c = image.GetPixel(x, y);
                colours.Add((uint)c);
                total++;
                if (c.Red < 235 || c.Green < 235 || c.Blue < 235) inked++;
            }
        }
        return (colours.Count, (double)inked / total);
    }

    private string RunChromium(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("exprun-chromium-").FullName;
        try
        {
            var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            }.Concat(args))
            {
                info.ArgumentList.Add(a);
            }
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium {string.Join(' ', args)} did not finish in 120 s");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = ExprunCli.Run(args, new CliContext(stdout, stderr, new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)), TestRuntime.Instance));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
