using System.CommandLine;
using System.CommandLine.Completions;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli.Completion;

/// <summary>
/// Completes <c>--metric</c> of compare and report with the columns they accept: the numeric columns of the
/// summary.csv in the folder already typed on the line (a results folder's columns depend on its metrics and
/// diagnostics, so no fixed list would be right).
/// </summary>
public static class SummaryColumnCompletion
{
    public static Func<CompletionContext, IEnumerable<string>> For(Argument<string> folder) => context =>
    {
        if (context.ParseResult.GetResult(folder)?.Tokens is not [{ Value: var typed }]) return [];
        var summary = Path.Combine(typed, SummaryCsv.FileName);
        IReadOnlyList<string> columns;
        try
        {
            columns = CsvText.Read(summary).Header;
        }
        catch (Exception)
        {
            // No summary yet, or one being rewritten: nothing to offer, and a completion must never fail the shell.
            return [];
        }
        var swept = Comparison.SweptKeys(columns);
        return columns.Where(c => !swept.Contains(c) && c is not ("trial" or "status" or "error")).ToList();
    };
}
