namespace ExperimentRunner.Core.Problems;

/// <summary>"did you mean" hints: the closest known name by edit distance, when close enough.</summary>
public static class Suggest
{
    public static string? Closest(string given, IEnumerable<string> known)
    {
        var needle = given.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = Distance(needle, candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        // Allow roughly one typo per three characters; beyond that a hint is noise.
        var limit = Math.Max(2, needle.Length / 3);
        return bestDistance <= limit ? best : null;
    }

    public static string DidYouMean(string given, IEnumerable<string> known)
    {
        var hit = Closest(given, known);
        return hit is null ? "" : $" (did you mean '{hit}'?)";
    }

    /// <summary>Optimal string alignment distance: a swap of two letters counts as one edit.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
