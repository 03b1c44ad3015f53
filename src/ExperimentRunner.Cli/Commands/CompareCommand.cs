using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;

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
        var against = new Option<string?>("--against") { Description = "another results folder with the same cells: both rankings side by side (e.g. tuned per cell against one shared learning rate)", HelpName = "dir" };
        dir.CompletionSources.Add(PathCompletion.Folders());
        against.CompletionSources.Add(PathCompletion.Folders());
        metric.CompletionSources.Add(SummaryColumnCompletion.For(dir));
        format.CompletionSources.Add(Formats);
        var command = new Command("compare", "rank the cells of a sweep by a metric, with 95% confidence intervals over seeds") { dir, metric, by, format, order, against };
        command.SetAction(parse => Execute(context, parse.GetValue(dir)!, parse.GetValue(metric), parse.GetValue(by), parse.GetValue(format)!, parse.GetValue(order), parse.GetValue(against)));
        return command;
    }

    private static int Execute(CliContext context, string dir, string? metric, string? by, string format, string? orderText, string? against)
    {
        if (!Formats.Contains(format))
        {
            context.Error.WriteLine($"error: --format: '{format}' is not allowed{Suggest.DidYouMean(format, Formats)}; allowed: {string.Join(", ", Formats)}");
            return ExitCodes.UsageError;
        }
        if (!OrderOption.TryParse(orderText, context.Error, out var order)) return ExitCodes.UsageError;
        if (Read(context, dir) is not { } table) return ExitCodes.UsageError;
        SummaryTable? other = null;
        if (against is not null && (other = Read(context, against)) is null) return ExitCodes.UsageError;
        var summary = Path.Combine(dir, SummaryCsv.FileName);
        var (header, rows) = (table.Header, table.Rows);
        // Side by side, a cell is what both sweep: a key only one side has (a tuned setting) is shown, not grouped by.
        var tuned = other is null ? [] : Core.Tuning.TuningRecords.TunedKeys(dir).Concat(Core.Tuning.TuningRecords.TunedKeys(against!)).ToList();
        var swept = other is null ? table.SweptKeys : table.SweptKeys.Intersect(other.SweptKeys).Except(tuned).ToList();
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
        var ranked = Comparison.Compare(header, rows, metric, keys, context.Catalogs, order);
        if (other is not null) return WriteSideBySide(context, ranked, table, other, against!, dir, metric, keys, order, format);
        context.Out.Write(format switch
        {
            "csv" => ComparisonFormatter.Csv(ranked),
            "markdown" => ComparisonFormatter.Markdown(ranked),
            _ => ComparisonFormatter.Text(ranked),
        });
        return ExitCodes.Ok;
    }

    private static SummaryTable? Read(CliContext context, string dir)
    {
        var summary = Path.Combine(dir, SummaryCsv.FileName);
        if (!File.Exists(summary))
        {
            context.Error.WriteLine(ResultsFolder.NotAnExperiment(dir));
            return null;
        }
        if (!ResultsFolder.IsOneExperiment(context, dir, "nothing was compared")) return null;
        // The trial folders are the source of truth: a summary.csv left stale, or a trial whose run.json or metrics.csv
        // is damaged, must not rank a cell on fewer seeds without a word. Damaged trials are listed as such and named here.
        var gathered = Directory.Exists(ExperimentResults.TrialsDir(dir)) ? ExperimentResults.Gather(dir) : null;
        if (gathered is null || gathered.Manifests.Count == 0)
        {
            var (header, rows) = SummaryCsv.Read(summary);
            return new SummaryTable(header, rows);
        }
        foreach (var damaged in gathered.Damaged) context.Error.WriteLine(damaged.WarningLine);
        return new SummaryTable(gathered.Header, gathered.Rows);
    }

    private static int WriteSideBySide(CliContext context, ComparisonTable a, SummaryTable aTable, SummaryTable bTable, string against, string dir,
        string metric, IReadOnlyList<string> keys, Core.Analysis.MetricDirection? order, string format)
    {
        var bSummary = Path.Combine(against, SummaryCsv.FileName);
        var missing = keys.Append(metric).Where(k => !bTable.Header.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            context.Error.WriteLine($"{bSummary}: error: --against: it has no column {string.Join(", ", missing.Select(k => $"'{k}'"))}; both folders need the cells' keys ({string.Join(", ", keys)}) and the metric");
            return ExitCodes.UsageError;
        }
        var b = Comparison.Compare(bTable.Header, bTable.Rows, metric, keys, context.Catalogs, order);
        var (header, rows) = SideBySide.Build(a, b, aTable, bTable, format == "csv" ? v => CsvText.Number(v) : ComparisonFormatter.Short);
        context.Out.Write(format switch
        {
            "csv" => CsvText.Write(header, rows),
            "markdown" => TextTables.Markdown(header, rows),
            _ => TextTables.Aligned(header, rows),
        });
        if (format != "csv")
        {
            context.Out.WriteLine($"a = {dir}, b = {against}; {a.Direction.Describe()}; se = standard error of the mean over seeds; delta = a - b;");
            context.Out.WriteLine($"rank_change = places a cell moves up from b's ranking to a's; {SideBySide.Moved(rows)} of {Counted.Of(rows.Count, "cell")} change rank");
            if (a.IsRanked) context.Out.WriteLine(SideBySide.Tally(header, rows, a.HigherIsBetter));
        }
        return ExitCodes.Ok;
    }
}
