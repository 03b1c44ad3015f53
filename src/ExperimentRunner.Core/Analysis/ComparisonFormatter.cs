using System.Globalization;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Core.Analysis;

/// <summary>Renders a comparison as an aligned text table, CSV or Markdown (same columns in each).</summary>
public static class ComparisonFormatter
{
    public static IReadOnlyList<string> Header(ComparisonTable t) =>
        ["rank", .. t.By, "n", $"{t.Metric}_mean", "ci95_half_width", "std", "delta_to_best", "overlaps_best"];

    public static IReadOnlyList<IReadOnlyList<string>> Rows(ComparisonTable t, Func<double, string> number)
    {
        var best = t.Best;
        return t.Ranked.Select((c, i) => (IReadOnlyList<string>)
        [
            t.IsRanked ? (i + 1).ToString(CultureInfo.InvariantCulture) : "", .. c.Key, $"{c.N}/{c.Trials}", number(c.Mean), number(c.HalfWidth), number(c.Std),
            best is null || c.N == 0 ? "" : number(c.Mean - best.Mean),
            best is null || c.N == 0 ? "" : ReferenceEquals(c, best) ? "best" : c.N < 2 || best.N < 2 ? "n/a" : ComparisonTable.Overlaps(c, best) ? "yes" : "no",
        ]).ToList();
    }

    public static string Text(ComparisonTable t)
    {
        var header = Header(t).ToList();
        header[header.IndexOf($"{t.Metric}_mean")] = $"{t.Metric} mean";
        var rows = Rows(t, Short);
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        var lines = new List<string> { Line(header, widths), string.Join("  ", widths.Select(w => new string('-', w))) };
        lines.AddRange(rows.Select(r => Line(r, widths)));
        lines.Add(Footer(t));
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The line under a text table: which way is better, or why the cells are not ranked.</summary>
    public static string Footer(ComparisonTable t) =>
        (t.IsRanked
            ? t.Direction.Describe()
            : $"{t.Metric}: {t.Direction.Describe()}, so the cells are in sweep order, not ranked (add --order higher or --order lower to rank them)")
        + "; mean over seeds with a t-based 95% interval; n = trials with a value / trials in the cell";

    public static string Csv(ComparisonTable t) => CsvText.Write(Header(t), Rows(t, v => CsvText.Number(v)));

    public static string Markdown(ComparisonTable t)
    {
        var header = Header(t);
        var rows = Rows(t, Short);
        var lines = new List<string>
        {
            $"| {string.Join(" | ", header)} |",
            $"|{string.Join("|", header.Select((_, i) => i == 0 || i > t.By.Count ? "---:" : "---"))}|",
        };
        lines.AddRange(rows.Select(r => $"| {string.Join(" | ", r.Select(c => c.Replace("|", "\\|")))} |"));
        return string.Join("\n", lines) + "\n";
    }

    private static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    // Four decimals, or four significant digits for tiny values (a gradient ratio of 3e-7 is not 0.0000).
    public static string Short(double v) =>
        !double.IsFinite(v) ? "" : v != 0 && Math.Abs(v) < 1e-3 ? v.ToString("0.000E+0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
