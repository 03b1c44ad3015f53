namespace ExperimentRunner.Core.Config.Settings;

/// <summary>
/// The <c>limits</c> section: safety limits <c>validate</c> checks before anything is allocated. They decide whether a
/// trial may run, never what it computes (<see cref="ExperimentSchema.ResultNeutral"/>: not part of a trial's id).
/// </summary>
public sealed record LimitsSettings
{
    /// <summary>Most memory (MB) a trial may need by the estimate; null: half of this machine's memory.</summary>
    public long? MaxMemoryMb { get; init; }

    public static LimitsSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new LimitsSettings { MaxMemoryMb = r.Long("max_memory_mb") };
        r.Done();
        return settings;
    }
}
