using System.CommandLine;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Reporting;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun report DIR [-o report.html]</c>: one self-contained HTML page with the sweep's plots and tables.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "an experiment's results folder (holding trials/), or one trial's folder" };
        var output = new Option<string?>("--output", "-o") { Description = "where to write the page (default: DIR/report.html)" };
        var metric = new Option<string?>("--metric", "-m") { Description = "summary column to rank and colour by (default: the first test metric, as compare)" };
        var cells = new Option<int>("--cells") { Description = "per-layer plots for the best and the worst N cells", DefaultValueFactory = _ => 2 };
        var command = new Command("report", "write a self-contained HTML report: loss curves, metric heatmap, ranking, per-layer diagnostics") { dir, output, metric, cells };
        command.SetAction(parse => Execute(context, parse.GetValue(dir)!, parse.GetValue(output), parse.GetValue(metric), parse.GetValue(cells)));
        return command;
    }

    private static int Execute(CliContext context, string dir, string? output, string? metric, int cells)
    {
        if (cells < 0)
        {
            context.Error.WriteLine($"error: --cells: {cells} is not allowed; give 0 or more");
            return ExitCodes.UsageError;
        }
        ReportInput input;
        try
        {
            input = ReportInput.Load(dir);
        }
        catch (ReportInputException e)
        {
            context.Error.WriteLine(e.Message);
            return ExitCodes.UsageError;
        }
        if (metric is not null && !input.NumericColumns.Contains(metric))
        {
            context.Error.WriteLine($"{dir}: error: --metric: '{metric}' is not a numeric summary column{Suggest.DidYouMean(metric, input.NumericColumns)}; allowed: {string.Join(", ", input.NumericColumns)}");
            return ExitCodes.UsageError;
        }
        var path = output ?? Path.Combine(dir, HtmlReport.FileName);
        var model = ReportModel.Build(input, new ReportOptions { Metric = metric, Cells = cells }, context.Catalogs);
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
        context.Out.WriteLine($"wrote {written.Path}: {written.Trials} {(written.Trials == 1 ? "trial" : "trials")}, {written.Cells} {(written.Cells == 1 ? "cell" : "cells")}, {written.Plots} plots, ranked by {written.Metric}");
        return ExitCodes.Ok;
    }
}
