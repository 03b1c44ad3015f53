using System.Globalization;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Core.Analysis;

/// <summary>One folder's summary.csv, read for a side-by-side comparison.</summary>
public sealed record SummaryTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public IReadOnlyList<string> SweptKeys => Comparison.SweptKeys(Header);

    /// <summary>The values a swept key that is not part of the cell took in each cell (a tuned sweep's chosen setting), by cell key.</summary>
    public IReadOnlyDictionary<string, string> ValuesPerCell(IReadOnlyList<string> by, string key)
    {
        var h = Header.ToList();
        var keyColumns = by.Select(k => h.IndexOf(k)).ToList();
        var column = h.IndexOf(key);
        return Rows.GroupBy(r => SideBySide.CellId(keyColumns.Select(c => r[c])))
            .ToDictionary(g => g.Key, g => string.Join("/", g.Select(r => r[column]).Distinct()));
    }
}

/// <summary>
/// Two experiments' rankings of the same cells side by side (<c>exprun compare A --against B</c>): e.g. the cells tuned
/// per cell against the same cells at one shared learning rate, or asha's choices against the exhaustive search's.
/// Per cell: each side's rank, mean and standard error, the settings a side chose for it, the difference of the means,
/// whether it lies within b's standard error, and how many places the cell moves.
/// </summary>
public static class SideBySide
{
    public static string CellId(IEnumerable<string> values) => string.Join("\u001f", values);

    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Build(
        ComparisonTable a, ComparisonTable b, SummaryTable aTable, SummaryTable bTable, Func<double, string> number)
    {
        var by = a.By;
        var aExtra = aTable.SweptKeys.Where(k => !by.Contains(k)).ToList();
        var bExtra = bTable.SweptKeys.Where(k => !by.Contains(k)).ToList();
        var aValues = aExtra.ToDictionary(k => k, k => aTable.ValuesPerCell(by, k));
        var bValues = bExtra.ToDictionary(k => k, k => bTable.ValuesPerCell(by, k));
        var aRank = Ranks(a);
        var bRank = Ranks(b);
        var bCells = b.Ranked.ToDictionary(c => CellId(c.Key));
        List<string> header = [.. by, "a_rank", $"a_{a.Metric}", "a_se", .. aExtra.Select(k => $"a_{k}"), "b_rank", $"b_{b.Metric}", "b_se", .. bExtra.Select(k => $"b_{k}"), "delta", "within_b_se", "rank_change"];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var cell in a.Ranked)
        {
            var id = CellId(cell.Key);
            var other = bCells.GetValueOrDefault(id);
            var delta = other is null ? double.NaN : cell.Mean - other.Mean;
            var se = other is null ? double.NaN : StandardError(other);
            string within = !double.IsFinite(delta) ? "" : !double.IsFinite(se) ? (delta == 0 ? "yes" : "n/a") : Math.Abs(delta) <= se ? "yes" : "no";
            var change = aRank.TryGetValue(id, out var ra) && bRank.TryGetValue(id, out var rb) ? rb - ra : (int?)null;
            rows.Add(
            [
                .. cell.Key, Rank(aRank, id), number(cell.Mean), number(StandardError(cell)), .. aExtra.Select(k => aValues[k].GetValueOrDefault(id, "")),
                Rank(bRank, id), other is null ? "" : number(other.Mean), other is null ? "" : number(se), .. bExtra.Select(k => bValues[k].GetValueOrDefault(id, "")),
                number(delta), within, change is null ? "" : change.Value == 0 ? "0" : change.Value.ToString("+0;-0", CultureInfo.InvariantCulture),
            ]);
        }
        return (header, rows);
    }

    /// <summary>The standard error of a cell's mean over its seeds (NaN with fewer than two).</summary>
    public static double StandardError(CellStats cell) => cell.N < 2 ? double.NaN : cell.Std / Math.Sqrt(cell.N);

    private static Dictionary<string, int> Ranks(ComparisonTable t) =>
        t.IsRanked ? t.Ranked.Where(c => c.N > 0).Select((c, i) => (CellId(c.Key), i + 1)).ToDictionary(x => x.Item1, x => x.Item2) : [];

    private static string Rank(Dictionary<string, int> ranks, string id) => ranks.TryGetValue(id, out var r) ? r.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>How many cells change rank, for the line under the table.</summary>
    public static int Moved(IReadOnlyList<IReadOnlyList<string>> rows) => rows.Count(r => r[^1] is { Length: > 0 } c && c != "0");

    /// <summary>
    /// The line under the table that counts the verdicts: within b's standard error, a better or worse by more, and
    /// (when both sides tuned the same keys) how many cells chose the same setting.
    /// </summary>
    public static string Tally(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool higherIsBetter)
    {
        var h = header.ToList();
        int within = h.IndexOf("within_b_se"), delta = h.IndexOf("delta");
        var parsed = rows.Select(r => (Within: r[within], Delta: CsvText.ParseNumber(r[delta]) ?? double.NaN)).ToList();
        var better = parsed.Count(p => p.Within == "no" && (higherIsBetter ? p.Delta > 0 : p.Delta < 0));
        var worse = parsed.Count(p => p.Within == "no" && (higherIsBetter ? p.Delta < 0 : p.Delta > 0));
        var text = $"within b's standard error: {parsed.Count(p => p.Within == "yes")}, a better by more: {better}, a worse by more: {worse}";
        var shared = h.Where(c => c.StartsWith("a_", StringComparison.Ordinal) && h.Contains("b_" + c[2..]) && c is not ("a_rank" or "a_se") && !c.EndsWith(MetricSuffix(h), StringComparison.Ordinal)).ToList();
        if (shared.Count == 0) return text;
        var same = rows.Count(r => shared.All(c => r[h.IndexOf(c)] == r[h.IndexOf("b_" + c[2..])]));
        return $"{text}; the same {string.Join(", ", shared.Select(c => c[2..]))} chosen: {same} of {rows.Count}";
    }

    // The metric column is the one after a_rank.
    private static string MetricSuffix(List<string> header) => header[header.IndexOf("a_rank") + 1][2..];
}
