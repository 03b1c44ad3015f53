using System.Text.Json.Nodes;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Runtime settings every exprun executable (its workers, this test host) gets from Directory.Build.targets: the GC's
/// gen0 budget capped, so native memory that TorchSharp leaves to finalizers is given back every few MiB of managed
/// allocation rather than after a budget sized from the L3 cache (130 MiB on a VM that reports 260 MiB of L3), and
/// tiered PGO off (see there for why).
/// </summary>
public sealed class RuntimeSettingsTests
{
    private const long Cap = 4 << 20;

    [Fact]
    public void The_running_gc_reports_the_cap()
    {
        // What the GC itself says it runs with: the setting reached the runtime, not only the file.
        var settings = GC.GetConfigurationVariables();
        var budget = settings.FirstOrDefault(kv => kv.Key.Equals("GCGen0MaxBudget", StringComparison.OrdinalIgnoreCase));
        Assert.True(budget.Key is not null, "the GC reports no GCGen0MaxBudget; it reports: " + string.Join(", ", settings.Keys));
        Assert.Equal(Cap, Convert.ToInt64(budget.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Exprun_runtimeconfig_carries_the_cap_and_no_tiered_pgo()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "exprun.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;
        Assert.Equal("0x400000", (string?)properties["System.GC.Gen0MaxBudget"]);
        Assert.False((bool?)properties["System.Runtime.TieredPGO"]);
    }

    [Fact]
    public void Tiered_pgo_is_off_in_the_running_process()
    {
        // The test host gets the same setting from Directory.Build.targets; what the runtime was given, read back.
        Assert.Equal("false", AppContext.GetData("System.Runtime.TieredPGO")?.ToString(), ignoreCase: true);
    }
}
