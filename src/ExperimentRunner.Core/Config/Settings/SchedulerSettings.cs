namespace ExperimentRunner.Core.Config.Settings;

/// <summary>A learning-rate schedule with its parameters; each is set only for the schedules that take it.</summary>
public sealed record SchedulerSettings(string Name)
{
    public static SchedulerSettings Constant { get; } = new("constant");

    /// <summary>step.</summary>
    public int? StepSize { get; init; }
    /// <summary>step, multistep, exponential.</summary>
    public double? Gamma { get; init; }
    /// <summary>multistep.</summary>
    public IReadOnlyList<long>? Milestones { get; init; }
    /// <summary>cosine.</summary>
    public int? TMax { get; init; }
    public double? EtaMin { get; init; }
    /// <summary>cosine, linear_warmup.</summary>
    public int? WarmupEpochs { get; init; }
    public double? StartFactor { get; init; }
    /// <summary>onecycle (max_lr unset: 10 x the optimizer's rate).</summary>
    public double? MaxLr { get; init; }
    public double? PctStart { get; init; }
    public string? AnnealStrategy { get; init; }
    public double? DivFactor { get; init; }
    public double? FinalDivFactor { get; init; }
    /// <summary>reduce_on_plateau.</summary>
    public string? Monitor { get; init; }
    public double? Factor { get; init; }
    public int? Patience { get; init; }
    public double? Threshold { get; init; }
    public double? MinLr { get; init; }

    public static SchedulerSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new SchedulerSettings(c.Name)
        {
            StepSize = r.Int("step_size"),
            Gamma = r.Float("gamma"),
            Milestones = r.Longs("milestones"),
            TMax = r.Int("t_max"),
            EtaMin = r.Float("eta_min"),
            WarmupEpochs = r.Int("warmup_epochs"),
            StartFactor = r.Float("start_factor"),
            MaxLr = r.Float("max_lr"),
            PctStart = r.Float("pct_start"),
            AnnealStrategy = r.Text("anneal_strategy"),
            DivFactor = r.Float("div_factor"),
            FinalDivFactor = r.Float("final_div_factor"),
            Monitor = r.Text("monitor"),
            Factor = r.Float("factor"),
            Patience = r.Int("patience"),
            Threshold = r.Float("threshold"),
            MinLr = r.Float("min_lr"),
        };
        r.Done();
        return settings;
    }
}
