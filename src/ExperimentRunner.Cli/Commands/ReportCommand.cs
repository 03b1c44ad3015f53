using ExperimentRunner.Core.Results;
using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Reporting;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun report DIR [-o report.html]</c>: one self-contained HTML page with the sweep's plots and tables.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "an experiment's results folder (holding trials/), or one trial's folder" };
        var output = new Option<string?>("--output", "-o") { Description = "where to write the page (default: DIR/report.html)", HelpName = "file" };
        var metric = new Option<string?>("--metric", "-m") { Description = "summary column to rank and colour by (default: the first test metric, as compare)", HelpName = "column" };
        var cells = new Option<int>("--cells") { Description = "per-layer plots for the best and the worst N cells", HelpName = "n", DefaultValueFactory = _ => 2 };
        var order = OrderOption.Create();
        dir.CompletionSources.Add(PathCompletion.Folders());
        output.CompletionSources.Add(PathCompletion.Files(".html"));
        metric.CompletionSources.Add(SummaryColumnCompletion.For(dir));
        var command = new Command("report", "write a self-contained HTML report: loss curves, metric heatmap, ranking, per-layer diagnostics") { dir, output, metric, cells, order };
        command.SetAction(parse => Execute(context, parse.GetValue(dir)!, parse.GetValue(output), parse.GetValue(metric), parse.GetValue(cells), parse.GetValue(order)));
        return command;
    }

    private static int Execute(CliContext context, string dir, string? output, string? metric, int cells, string? orderText)
    {
        if (cells < 0)
        {
            context.Error.WriteLine($"error: --cells: {cells} is not allowed; give 0 or more");
            return ExitCodes.UsageError;
        }
        if (!OrderOption.TryParse(orderText, context.Error, out var order)) return ExitCodes.UsageError;
        if (Directory.Exists(dir) && !ResultsFolder.IsOneExperiment(context, dir, "no report was written")) return ExitCodes.UsageError;
        ReportInput input;
        try
        {
            input = ReportInput.Load(dir);
        }
        catch (DamagedFileException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.TrialFailed;
        }
        catch (ReportInputException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.UsageError;
        }
        foreach (var warning in input.Warnings) context.Error.WriteLine(warning);
        if (metric is not null && !input.NumericColumns.Contains(metric))
        {
            context.Error.WriteLine($"{dir}: error: --metric: '{metric}' is not a numeric summary column{Suggest.DidYouMean(metric, input.NumericColumns)}; allowed: {string.Join(", ", input.NumericColumns)}");
            return ExitCodes.UsageError;
        }
        var ranking = metric ?? Comparison.DefaultMetric(input.SummaryHeader);
        if (order is null && MetricDirections.Of(ranking, context.Catalogs) is var direction && direction == MetricDirection.Neither)
        {
            context.Error.WriteLine($"{dir}: error: --metric: '{ranking}': {direction.Describe()} (a diagnostic or a count), and the report ranks cells by it; add --order higher or --order lower");
            return ExitCodes.UsageError;
        }
        var path = output ?? Path.Combine(dir, HtmlReport.FileName);
        var model = ReportModel.Build(input, new ReportOptions { Metric = metric, Cells = cells, Order = order }, context.Catalogs);
        ReportSummary written;
        try
        {
            written = HtmlReport.Write(model, path, context.Clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{path}: error: cannot write the report: {ex.Message}");
            return ExitCodes.UsageError;
        }
        context.Out.WriteLine($"wrote {written.Path}: {Counted.Of(written.Trials, "trial")}, {Counted.Of(written.Cells, "cell")}, {Counted.Of(written.Plots, "plot")}, ranked by {written.Metric}");
        return ExitCodes.Ok;
    }
}
