using ExperimentRunner.Cli.Parallel;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>Workers run with tiered compilation off (their re-JIT would take from their own pinned core), unless the user's environment says otherwise.</summary>
public sealed class WorkerLauncherTests
{
    [Fact]
    public void A_worker_environment_without_a_tiering_setting_gets_tiering_off()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin" };

        WorkerLauncher.ApplyRuntimeSettings(environment);

        Assert.Equal("0", environment["DOTNET_TieredCompilation"]);
        Assert.Equal("/usr/bin", environment["PATH"]);
        Assert.Equal(2, environment.Count);
    }

    [Theory]
    [InlineData("DOTNET_TieredCompilation", "1")]
    [InlineData("COMPlus_TieredCompilation", "1")]
    [InlineData("DOTNET_TieredCompilation", "0")]
    public void A_tiering_setting_the_user_made_is_kept(string name, string value)
    {
        var environment = new Dictionary<string, string?> { [name] = value };

        WorkerLauncher.ApplyRuntimeSettings(environment);

        Assert.Equal(new Dictionary<string, string?> { [name] = value }, environment);
    }

    [Fact]
    public void The_start_info_of_a_worker_carries_the_setting()
    {
        var info = WorkerLauncher.StartInfo(["__worker", "x.yaml"]);

        var user = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") ?? Environment.GetEnvironmentVariable("COMPlus_TieredCompilation");
        if (user is null) Assert.Equal("0", info.Environment["DOTNET_TieredCompilation"]);
        else Assert.True(info.Environment.ContainsKey("DOTNET_TieredCompilation") || info.Environment.ContainsKey("COMPlus_TieredCompilation"));
        Assert.Equal(["__worker", "x.yaml"], info.ArgumentList.TakeLast(2));
    }
}
