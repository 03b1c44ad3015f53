namespace ExperimentRunner.Tests.TestSupport;

/// <summary>
/// Tests that need a service the machine may lack (Chromium, a Slurm cluster) skip with the reason on a
/// developer's machine, but fail under <c>CI=true</c> (set by .ci/run, which installs them): a CI run must
/// not pass because the thing it should test was missing.
/// </summary>
public static class RequiredService
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void SkipUnless(bool available, string why)
    {
        if (available) return;
        if (InCi) Assert.Fail($"CI=true and a required service is missing: {why}");
        Skip.If(true, why);
    }
}
