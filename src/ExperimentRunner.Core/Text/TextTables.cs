namespace ExperimentRunner.Core.Text;

/// <summary>Plain tables for the terminal (aligned columns under a rule) and for README files (Markdown).</summary>
public static class TextTables
{
    /// <param name="rule">Whether a line of dashes goes under the header.</param>
    public static string Aligned(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool rule = true)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        var lines = new List<string> { Line(header) };
        if (rule) lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
        lines.AddRange(rows.Select(Line));
        return string.Join("\n", lines) + "\n";
    }

    public static string Markdown(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
        var lines = new List<string>
        {
            $"| {string.Join(" | ", header.Select(Cell))} |",
            $"|{string.Join("|", header.Select(_ => "---"))}|",
        };
        lines.AddRange(rows.Select(r => $"| {string.Join(" | ", r.Select(Cell))} |"));
        return string.Join("\n", lines) + "\n";
    }
}
