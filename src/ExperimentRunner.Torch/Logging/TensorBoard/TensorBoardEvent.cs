using System.Text;

namespace ExperimentRunner.Torch.Logging.TensorBoard;

/// <summary>A plugin's data attached to a summary value (the hparams plugin's messages carry no value of their own).</summary>
internal sealed record PluginContent(string PluginName, byte[] Content);

/// <summary>One summary value at one step: a scalar, or plugin data.</summary>
internal sealed record TensorBoardEvent(string Tag, long Step, double WallTime, float? Scalar, PluginContent? Plugin)
{
    public static TensorBoardEvent ScalarAt(string tag, long step, double wallTime, double value) => new(tag, step, wallTime, (float)value, null);

    public static TensorBoardEvent PluginAt(string tag, long step, double wallTime, PluginContent plugin) => new(tag, step, wallTime, null, plugin);
}

/// <summary>
/// The Event message of tensorflow/core/util/event.proto (wall_time = 1, step = 2, file_version = 3, summary = 5)
/// with its Summary (value = 1; Value: tag = 1, simple_value = 2, metadata = 9; SummaryMetadata: plugin_data = 1
/// with plugin_name = 1, content = 2). Zero steps are left out, as protobuf does for a default.
/// </summary>
internal static class EventCodec
{
    /// <summary>What the first record of every event file says; TensorBoard checks it to know the format.</summary>
    public const string FileVersion = "brain.Event:2";

    public static byte[] FileVersionEvent(double wallTime) =>
        new ProtoWriter().Double(1, wallTime).String(3, FileVersion).ToArray();

    public static byte[] Encode(TensorBoardEvent e)
    {
        var value = new ProtoWriter().String(1, e.Tag);
        // simple_value is a oneof member: written even when zero, or a zero would read as "no value".
        if (e.Scalar is { } scalar) value.Float(2, scalar);
        if (e.Plugin is { } plugin)
        {
            var pluginData = new ProtoWriter().String(1, plugin.PluginName).Bytes(2, plugin.Content);
            value.Message(9, new ProtoWriter().Message(1, pluginData));
        }
        var evt = new ProtoWriter().Double(1, e.WallTime);
        if (e.Step != 0) evt.Varint(2, e.Step);
        return evt.Message(5, new ProtoWriter().Message(1, value)).ToArray();
    }

    /// <summary>The (tag, step) of every summary value in one encoded Event.</summary>
    public static IEnumerable<(string Tag, long Step)> TagsAndSteps(byte[] eventBytes)
    {
        var fields = ProtoFields.Of(eventBytes);
        var step = fields.Where(f => f.Number == 2 && f.WireType == 0).Select(f => (long)f.Bits).LastOrDefault();
        foreach (var summary in fields.Where(f => f.Number == 5 && f.WireType == 2))
        {
            foreach (var value in ProtoFields.Of(summary.Bytes).Where(f => f.Number == 1 && f.WireType == 2))
            {
                var tag = ProtoFields.Of(value.Bytes).Where(f => f.Number == 1 && f.WireType == 2).Select(f => Encoding.UTF8.GetString(f.Bytes)).LastOrDefault();
                if (tag is not null) yield return (tag, step);
            }
        }
    }
}
