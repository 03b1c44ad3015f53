using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun compare DIR</c>: cells of a sweep ranked by a metric, mean +- CI over seeds.</summary>
public static class CompareCommand
{
    public static readonly string[] Formats = ["table", "csv", "markdown"];

    public static Command Create(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "an experiment's results folder (holding summary.csv)" };
        var metric = new Option<string?>("--metric", "-m") { Description = "summary column to rank by (default: the first test metric)", HelpName = "column" };
        var by = new Option<string?>("--by") { Description = "comma-separated keys that define a cell (default: every swept key)", HelpName = "k1,k2" };
        var format = new Option<string>("--format", "-f") { Description = "table, csv or markdown", HelpName = "format", DefaultValueFactory = _ => "table" };
        var order = OrderOption.Create();
        dir.CompletionSources.Add(PathCompletion.Folders());
        metric.CompletionSources.Add(SummaryColumnCompletion.For(dir));
        format.CompletionSources.Add(Formats);
        var command = new Command("compare", "rank the cells of a sweep by a metric, with 95% confidence intervals over seeds") { dir, metric, by, format, order };
        command.SetAction(parse => Execute(context, parse.GetValue(dir)!, parse.GetValue(metric), parse.GetValue(by), parse.GetValue(format)!, parse.GetValue(order)));
        return command;
    }

    private static int Execute(CliContext context, string dir, string? metric, string? by, string format, string? orderText)
    {
        if (!Formats.Contains(format))
        {
            context.Error.WriteLine($"error: --format: '{format}' is not allowed{Suggest.DidYouMean(format, Formats)}; allowed: {string.Join(", ", Formats)}");
            return ExitCodes.UsageError;
        }
        if (!OrderOption.TryParse(orderText, context.Error, out var order)) return ExitCodes.UsageError;
        var summary = Path.Combine(dir, SummaryCsv.FileName);
        if (!File.Exists(summary))
        {
            context.Error.WriteLine(ResultsFolder.NotAnExperiment(dir));
            return ExitCodes.UsageError;
        }
        if (!ResultsFolder.IsOneExperiment(context, dir, "nothing was compared")) return ExitCodes.UsageError;
        var (header, rows) = CsvText.Read(summary);
        var swept = Comparison.SweptKeys(header);
        metric ??= Comparison.DefaultMetric(header);
        var numeric = header.Where(h => !swept.Contains(h) && h is not ("trial" or "status" or "error")).ToList();
        if (!numeric.Contains(metric))
        {
            context.Error.WriteLine($"{summary}: error: --metric: '{metric}' is not a numeric column{Suggest.DidYouMean(metric, numeric)}; allowed: {string.Join(", ", numeric)}");
            return ExitCodes.UsageError;
        }
        var keys = by is null ? swept : by.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = keys.Where(k => !header.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var allowed = swept.Count > 0
                ? $"swept keys: {string.Join(", ", swept)}"
                : "this experiment sweeps no keys, so its trials form one cell: leave out --by";
            foreach (var k in unknown) context.Error.WriteLine($"{summary}: error: --by: '{k}' is not a column{Suggest.DidYouMean(k, swept)}; {allowed}");
            return ExitCodes.UsageError;
        }
        var table = Comparison.Compare(header, rows, metric, keys, context.Catalogs, order);
        context.Out.Write(format switch
        {
            "csv" => ComparisonFormatter.Csv(table),
            "markdown" => ComparisonFormatter.Markdown(table),
            _ => ComparisonFormatter.Text(table),
        });
        return ExitCodes.Ok;
    }
}
