namespace ExperimentRunner.Core.Stats;

/// <summary>Summary statistics for aggregating trials over seeds.</summary>
public static class Statistics
{
    // Above this many degrees of freedom the Cornish-Fisher series is exact to double precision and
    // cheaper than the finite sum, whose length grows with the degrees of freedom.
    private const int ExactSumLimit = 1000;

    /// <summary>Arithmetic mean; NaN for no values.</summary>
    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Sum() / values.Count;

    /// <summary>Sample standard deviation (n - 1 in the denominator); NaN for fewer than two values.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>mean +- t(0.975, n-1) * std / sqrt(n); NaN bounds for fewer than two values.</summary>
    public static (double Low, double High) Ci95(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return (double.NaN, double.NaN);
        var mean = Mean(values);
        var half = StudentT975(values.Count - 1) * SampleStd(values) / Math.Sqrt(values.Count);
        return (mean - half, mean + half);
    }

    /// <summary>The 0.975 quantile of Student's t (the two-sided 95% critical value).</summary>
    public static double StudentT975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        return degreesOfFreedom <= ExactSumLimit ? QuantileByBisection(degreesOfFreedom) : CornishFisher975(degreesOfFreedom);
    }

    /// <summary>
    /// Solves P(|T| &lt;= t) = 0.95 by bisection on theta = atan(t / sqrt(df)), where the probability is a
    /// finite sum of positive terms (Abramowitz and Stegun 26.7.3-4): no cancellation, no special functions,
    /// and theta is bracketed by (0, pi/2) for every df.
    /// </summary>
    internal static double QuantileByBisection(int df)
    {
        double low = 0, high = Math.PI / 2;
        for (var i = 0; i < 200 && high - low > 1e-17; i++)
        {
            var mid = (low + high) / 2;
            if (mid <= low || mid >= high) break;
            if (CentralProbability(mid, df) < 0.95) low = mid;
            else high = mid;
        }
        return Math.Sqrt(df) * Math.Tan((low + high) / 2);
    }

    /// <summary>P(|T| &lt;= sqrt(df) tan(theta)) for Student's t with integer df.</summary>
    internal static double CentralProbability(double theta, int df)
    {
        double sin = Math.Sin(theta), cos = Math.Cos(theta), cos2 = cos * cos;
        if (df % 2 == 0)
        {
            // sin(theta) * (1 + cos^2/2 + (1*3)/(2*4) cos^4 + ... up to cos^(df-2))
            double term = 1, sum = 1;
            for (var k = 1; k <= (df - 2) / 2; k++)
            {
                term *= cos2 * (2 * k - 1) / (2 * k);
                sum += term;
            }
            return sin * sum;
        }
        // (2/pi) * (theta + sin(theta) * (cos + (2/3) cos^3 + (2*4)/(3*5) cos^5 + ... up to cos^(df-2)))
        double oddTerm = cos, oddSum = 0;
        for (var k = 1; k <= (df - 1) / 2; k++)
        {
            oddSum += oddTerm;
            oddTerm *= cos2 * (2 * k) / (2 * k + 1);
        }
        return 2 / Math.PI * (theta + sin * oddSum);
    }

    /// <summary>Cornish-Fisher expansion of the t quantile around the normal one (Abramowitz and Stegun 26.7.5).</summary>
    internal static double CornishFisher975(double df)
    {
        const double x = 1.959963984540054; // standard normal 0.975 quantile
        double x2 = x * x, x3 = x2 * x, x5 = x3 * x2, x7 = x5 * x2, x9 = x7 * x2;
        var g1 = (x3 + x) / 4;
        var g2 = (5 * x5 + 16 * x3 + 3 * x) / 96;
        var g3 = (3 * x7 + 19 * x5 + 17 * x3 - 15 * x) / 384;
        var g4 = (79 * x9 + 776 * x7 + 1482 * x5 - 1920 * x3 - 945 * x) / 92160;
        return x + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
    }
}
