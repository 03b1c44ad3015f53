namespace ExperimentRunner.Tests.Logging;

/// <summary>The hparams plugin's SessionStartInfo: hparam values are string, double or bool (google.protobuf.Value kinds).</summary>
public sealed record SessionStartInfo(IReadOnlyDictionary<string, object?> HParams, string GroupName, double StartTimeSecs);

public sealed record HParamInfo(string Name, int Type);

public sealed record MetricInfo(string Group, string Tag, int DatasetType);

public sealed record ExperimentInfo(IReadOnlyList<HParamInfo> HParams, IReadOnlyList<MetricInfo> Metrics);

public sealed record SessionEndInfo(int Status, double EndTimeSecs);

/// <summary>
/// Decodes HParamsPluginData (tensorboard/plugins/hparams/plugin_data.proto: version = 1, experiment = 2,
/// session_start_info = 3, session_end_info = 4) from the field numbers of plugin_data.proto, api.proto and
/// google/protobuf/struct.proto, with the test's own protobuf reader.
/// </summary>
public static class HParamsReader
{
    public static (long Version, object Data) Parse(byte[] content)
    {
        long version = 0;
        object? data = null;
        foreach (var f in Protobuf.Fields(content))
        {
            switch (f.Number)
            {
                case 1: version = (long)f.Varint(); break;
                case 2: data = Experiment(f.Bytes()); break;
                case 3: data = SessionStart(f.Bytes()); break;
                case 4: data = SessionEnd(f.Bytes()); break;
            }
        }
        return (version, data ?? throw new InvalidDataException("HParamsPluginData without data"));
    }

    private static ExperimentInfo Experiment(byte[] message)
    {
        var hparams = new List<HParamInfo>();
        var metrics = new List<MetricInfo>();
        foreach (var f in Protobuf.Fields(message))
        {
            if (f.Number == 4)
            {
                var fields = Protobuf.Fields(f.Bytes());
                hparams.Add(new HParamInfo(fields.Single(x => x.Number == 1).Text(), (int)(fields.SingleOrDefault(x => x.Number == 4)?.Varint() ?? 0)));
            }
            else if (f.Number == 5)
            {
                var fields = Protobuf.Fields(f.Bytes());
                var name = Protobuf.Fields(fields.Single(x => x.Number == 1).Bytes());
                metrics.Add(new MetricInfo(
                    name.SingleOrDefault(x => x.Number == 1)?.Text() ?? "",
                    name.Single(x => x.Number == 2).Text(),
                    (int)(fields.SingleOrDefault(x => x.Number == 5)?.Varint() ?? 0)));
            }
        }
        return new ExperimentInfo(hparams, metrics);
    }

    private static SessionStartInfo SessionStart(byte[] message)
    {
        var hparams = new Dictionary<string, object?>();
        var group = "";
        double start = 0;
        foreach (var f in Protobuf.Fields(message))
        {
            switch (f.Number)
            {
                case 1:
                    var entry = Protobuf.Fields(f.Bytes());
                    var value = Protobuf.Fields(entry.Single(x => x.Number == 2).Bytes()).Single();
                    hparams[entry.Single(x => x.Number == 1).Text()] = value.Number switch
                    {
                        1 => value.Varint() == 0 ? null : throw new InvalidDataException("null_value is not NULL_VALUE"),
                        2 => value.Double(),
                        3 => value.Text(),
                        4 => value.Varint() != 0,
                        _ => throw new InvalidDataException($"google.protobuf.Value field {value.Number}"),
                    };
                    break;
                case 4: group = f.Text(); break;
                case 5: start = f.Double(); break;
            }
        }
        return new SessionStartInfo(hparams, group, start);
    }

    private static SessionEndInfo SessionEnd(byte[] message)
    {
        var fields = Protobuf.Fields(message);
        return new SessionEndInfo((int)(fields.SingleOrDefault(x => x.Number == 1)?.Varint() ?? 0), fields.SingleOrDefault(x => x.Number == 2)?.Double() ?? 0);
    }
}
