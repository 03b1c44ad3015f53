namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>One hyperparameter of a run: its name and a string, number, bool or null value (google.protobuf.Value kinds).</summary>
internal sealed record HParam(string Name, object? Value)
{
    /// <summary>A key set to null in this trial (<c>bias_init: null</c>): "not set", not the text "null".</summary>
    public static HParam Unset(string name) => new(name, null);

    public static HParam Text(string name, string value) => new(name, value);
    public static HParam Number(string name, double value) => new(name, value);
    public static HParam Flag(string name, bool value) => new(name, value);
}

/// <summary>Which split a metric is measured on, as the hparams plugin's DatasetType says it.</summary>
internal enum MetricDataset
{
    Training = 1,
    Validation = 2,
}

internal sealed record HParamsMetric(string Tag, MetricDataset Dataset);

/// <summary>How a session ended (the plugin's Status enum).</summary>
internal enum SessionStatus
{
    Success = 1,
    Failure = 2,
}

/// <summary>
/// The hparams plugin's summaries (tensorboard/plugins/hparams/plugin_data.proto and api.proto), written the way
/// PyTorch's SummaryWriter.add_hparams writes them: three values tagged <c>_hparams_/experiment</c>,
/// <c>_hparams_/session_start_info</c> and <c>_hparams_/session_end_info</c>, each with no value of its own and an
/// HParamsPluginData message (version 0) as the content of its "hparams" plugin metadata. A run holding a session
/// start is one session of the comparison table; sessions with the same group name form one row (here: the seeds
/// of one cell).
/// </summary>
internal static class HParamsPlugin
{
    public const string PluginName = "hparams";
    public const string ExperimentTag = "_hparams_/experiment";
    public const string SessionStartTag = "_hparams_/session_start_info";
    public const string SessionEndTag = "_hparams_/session_end_info";

    // HParamsPluginData: version = 1 (0, left out), experiment = 2, session_start_info = 3, session_end_info = 4.
    private static PluginContent Data(int field, ProtoWriter message) =>
        new(PluginName, new ProtoWriter().Message(field, message).ToArray());

    /// <summary>Experiment: hparam_infos = 4 (HParamInfo: name = 1, type = 4), metric_infos = 5 (MetricInfo: name = 1 {group = 1, tag = 2}, dataset_type = 5).</summary>
    public static PluginContent Experiment(IReadOnlyList<HParam> hparams, IReadOnlyList<HParamsMetric> metrics)
    {
        var experiment = new ProtoWriter();
        foreach (var h in hparams)
        {
            var info = new ProtoWriter().String(1, h.Name);
            // A null value says nothing of the key's type: DATA_TYPE_UNSET (0, left out).
            if (h.Value is not null) info.Varint(4, TypeOf(h.Value));
            experiment.Message(4, info);
        }
        foreach (var m in metrics)
            experiment.Message(5, new ProtoWriter().Message(1, new ProtoWriter().String(2, m.Tag)).Varint(5, (long)m.Dataset));
        return Data(2, experiment);
    }

    /// <summary>SessionStartInfo: hparams = 1 (map entries: key = 1, value = 2), group_name = 4, start_time_secs = 5.</summary>
    public static PluginContent SessionStart(IReadOnlyList<HParam> hparams, string groupName, double startTimeSecs)
    {
        var start = new ProtoWriter();
        foreach (var h in hparams)
            start.Message(1, new ProtoWriter().String(1, h.Name).Message(2, ValueOf(h.Value)));
        if (groupName.Length > 0) start.String(4, groupName);
        start.Double(5, startTimeSecs);
        return Data(3, start);
    }

    /// <summary>SessionEndInfo: status = 1, end_time_secs = 2.</summary>
    public static PluginContent SessionEnd(SessionStatus status, double endTimeSecs) =>
        Data(4, new ProtoWriter().Varint(1, (long)status).Double(2, endTimeSecs));

    // DataType: DATA_TYPE_STRING = 1, DATA_TYPE_BOOL = 2, DATA_TYPE_FLOAT64 = 3.
    private static int TypeOf(object value) => value switch
    {
        bool => 2,
        double => 3,
        _ => 1,
    };

    // google.protobuf.Value: null_value = 1, number_value = 2, string_value = 3, bool_value = 4 (oneof members: written even when zero or false).
    private static ProtoWriter ValueOf(object? value) => value switch
    {
        null => new ProtoWriter().Varint(1, 0),
        bool b => new ProtoWriter().Bool(4, b),
        double d => new ProtoWriter().Double(2, d),
        string s => new ProtoWriter().String(3, s),
        _ => throw new ArgumentException($"an hparam value is a string, number, bool or null, not {value.GetType().Name}", nameof(value)),
    };
}
