using System.CommandLine;
using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>--order higher|lower</c> of compare and report: the direction to rank by, for a metric that has none of its own.</summary>
public static class OrderOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--order")
        {
            Description = "which way is better: higher or lower (default: the metric's own; needed to rank by a diagnostic such as grad_norm_ratio)",
            HelpName = "higher|lower",
        };
        option.CompletionSources.Add(MetricDirections.Orders.Keys.ToArray());
        return option;
    }

    /// <summary>The direction given, null when none was; false with an error line when the word is not allowed.</summary>
    public static bool TryParse(string? text, TextWriter error, out MetricDirection? order)
    {
        order = null;
        if (text is null) return true;
        if (MetricDirections.Orders.TryGetValue(text, out var direction))
        {
            order = direction;
            return true;
        }
        error.WriteLine($"error: --order: '{text}' is not allowed{Suggest.DidYouMean(text, MetricDirections.Orders.Keys)}; allowed: {string.Join(", ", MetricDirections.Orders.Keys)}");
        return false;
    }
}
