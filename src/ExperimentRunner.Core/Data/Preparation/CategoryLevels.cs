namespace ExperimentRunner.Core.Data.Preparation;

/// <summary>
/// The categories of a csv's one-hot columns, fitted on the training rows: a category that only validation or test
/// rows use would be an input the network never learned a weight for, so those rows encode it as all zeros
/// (counted, and warned about once).
/// </summary>
public static class CategoryLevels
{
    /// <summary>The columns with only the categories some training row has.</summary>
    public static IReadOnlyList<InputColumn> Fit(DataSet train)
    {
        var columns = train.Columns ?? throw new ArgumentException("the set has no column description", nameof(train));
        var width = train.FeatureCount;
        var values = train.Features.Span;
        var fitted = new List<InputColumn>();
        var offset = 0;
        foreach (var column in columns)
        {
            IReadOnlyList<string>? levels = null;
            if (column.Levels is { } all)
            {
                var seen = new bool[all.Count];
                for (var r = 0; r < train.Rows; r++)
                {
                    for (var j = 0; j < all.Count; j++) seen[j] |= values[r * width + column.Offset + j] == 1f;
                }
                levels = all.Where((_, j) => seen[j]).ToList();
            }
            fitted.Add(new InputColumn(column.Source, offset, levels));
            offset += levels?.Count ?? 1;
        }
        return fitted;
    }

    /// <summary>
    /// A set re-encoded into the fitted columns, category by name (the set may come from another file with other
    /// categories); <paramref name="unseenRows"/> counts rows with a category the fit lacks.
    /// </summary>
    public static DataSet Align(DataSet d, IReadOnlyList<InputColumn> fitted, out int unseenRows)
    {
        unseenRows = 0;
        var columns = d.Columns ?? throw new ArgumentException("the set has no column description", nameof(d));
        if (Same(columns, fitted)) return d with { Columns = fitted };
        var width = d.FeatureCount;
        var newWidth = fitted.Sum(c => c.Width);
        var features = new float[d.Rows * newWidth];
        var source = d.Features.Span;
        for (var r = 0; r < d.Rows; r++)
        {
            var unseen = false;
            for (var c = 0; c < columns.Count; c++)
            {
                var (from, to) = (columns[c], fitted[c]);
                var src = r * width + from.Offset;
                var dst = r * newWidth + to.Offset;
                if (from.Levels is not { } levels)
                {
                    features[dst] = source[src];
                    continue;
                }
                var hot = -1;
                var missing = false;
                for (var j = 0; j < levels.Count; j++)
                {
                    var v = source[src + j];
                    if (float.IsNaN(v)) missing = true;
                    else if (v == 1f) hot = j;
                }
                var target = hot < 0 ? -1 : IndexOf(to.Levels!, levels[hot]);
                unseen |= hot >= 0 && target < 0;
                for (var j = 0; j < to.Width; j++)
                    features[dst + j] = missing ? float.NaN : j == target ? 1f : 0f;
            }
            if (unseen) unseenRows++;
        }
        return d with { Features = features, Shape = [newWidth], Columns = fitted };
    }

    private static int IndexOf(IReadOnlyList<string> levels, string level)
    {
        for (var i = 0; i < levels.Count; i++)
        {
            if (string.Equals(levels[i], level, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static bool Same(IReadOnlyList<InputColumn> a, IReadOnlyList<InputColumn> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Offset == p.Second.Offset
            && (p.First.Levels is null ? p.Second.Levels is null : p.Second.Levels is not null && p.First.Levels.SequenceEqual(p.Second.Levels, StringComparer.Ordinal)));
}
