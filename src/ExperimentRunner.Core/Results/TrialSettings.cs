using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// A trial's resolved config (its config.yaml) as dotted keys and values, the shape in which two experiments are
/// compared: <c>training.epochs = 2</c>, <c>loss = huber</c>, <c>loss.delta = 1.0</c>, <c>model.hidden = [16, 16]</c>.
/// A catalog choice's name sits at the choice's own key (as <c>--set loss=huber</c> writes it); a section is
/// recorded too (value <see cref="Section"/>), so <c>early_stopping: null</c> and a set early_stopping differ.
/// </summary>
public static class TrialSettings
{
    /// <summary>The value recorded for a section (a mapping of settings) in place of its contents.</summary>
    public const string Section = "{}";

    public const string Seed = "seed";

    /// <summary>Every setting of a config.yaml text, sorted by key.</summary>
    public static SortedDictionary<string, string> FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
        {
            foreach (var (key, value) in root.Children) Add(settings, ((YamlScalarNode)key).Value ?? "", value);
        }
        return settings;
    }

    /// <summary>
    /// The settings that make an experiment what it is: all but the seed, the swept keys (and what lies under them)
    /// and the keys that never change a result (loggers, limits: <see cref="Config.ExperimentSchema.OutsideFingerprint"/>),
    /// which neither trial ids nor folders hold against it.
    /// </summary>
    public static SortedDictionary<string, string> WithoutSweptAndSeed(IReadOnlyDictionary<string, string> settings, IEnumerable<string> sweptKeys)
    {
        List<string> varying = [Seed, .. sweptKeys, .. Config.ExperimentSchema.OutsideFingerprint];
        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (!IsUnder(key, varying)) kept[key] = value;
        }
        return kept;
    }

    /// <summary>Whether <paramref name="key"/> is one of <paramref name="paths"/> or lies below one.</summary>
    public static bool IsUnder(string key, IEnumerable<string> paths) =>
        paths.Any(p => key == p || key.StartsWith(p + ".", StringComparison.Ordinal));

    /// <summary>A value as a message shows it: a section as its settings in braces.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings, string key)
    {
        if (!settings.TryGetValue(key, out var value)) return "(not set)";
        if (value != Section) return value;
        var children = settings.Where(kv => kv.Key.StartsWith(key + ".", StringComparison.Ordinal) && kv.Value != Section)
            .Select(kv => $"{kv.Key[(key.Length + 1)..]}: {kv.Value}");
        return $"{{{string.Join(", ", children)}}}";
    }

    private static void Add(SortedDictionary<string, string> settings, string path, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            settings[path] = Text(node);
            return;
        }
        settings[path] = Section;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            // {name: huber, delta: 1.0} under loss: the name is the value of loss itself, as --set loss=huber writes it.
            if (key == "name" && value is YamlScalarNode) settings[path] = Text(value);
            else Add(settings, $"{path}.{key}", value);
        }
    }

    /// <summary>A scalar, list or inline mapping as one line of YAML flow text (quoted text keeps its quotes).</summary>
    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted } s => $"\"{s.Value}\"",
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode list => $"[{string.Join(", ", list.Children.Select(Text))}]",
        YamlMappingNode map => $"{{{string.Join(", ", map.Children.Select(kv => $"{Text(kv.Key)}: {Text(kv.Value)}"))}}}",
        _ => node.ToString(),
    };
}
