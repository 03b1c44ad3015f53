using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentRunner.Core.Config;

/// <summary>Writes a bound tree back out: as YAML (config.yaml, loadable again) and as canonical JSON (hashing).</summary>
public static class ConfigWriter
{
    public static string ToYaml(Component tree)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitMapping(emitter, tree, nameKey: null, flow: false);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void EmitMapping(IEmitter emitter, Component c, string? nameKey, bool flow)
    {
        emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, flow ? MappingStyle.Flow : MappingStyle.Block));
        if (nameKey is not null)
        {
            EmitScalar(emitter, nameKey);
            EmitScalar(emitter, c.Name);
        }
        foreach (var (key, value) in c.Values)
        {
            EmitScalar(emitter, key);
            EmitValue(emitter, key, value, flow);
        }
        emitter.Emit(new MappingEnd());
    }

    private static void EmitValue(IEmitter emitter, string key, object? value, bool flow)
    {
        switch (value)
        {
            case Component { NameKey: null } section:
                EmitMapping(emitter, section, null, flow);
                break;
            case Component { Values.Count: 0 } bare:
                EmitScalar(emitter, bare.Name);
                break;
            case Component choice:
                // Models and datasets read best as blocks; small choices (loss, activation) as one flow line.
                EmitMapping(emitter, choice, choice.NameKey, flow || key is not ("model" or "dataset"));
                break;
            case System.Collections.IEnumerable list when value is not string:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
                foreach (var item in list) EmitValue(emitter, key, item, true);
                emitter.Emit(new SequenceEnd());
                break;
            default:
                emitter.Emit(ScalarOf(value));
                break;
        }
    }

    private static void EmitScalar(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, true, false));

    private static Scalar ScalarOf(object? value) => value switch
    {
        null => new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false),
        bool b => new Scalar(AnchorName.Empty, TagName.Empty, b ? "true" : "false", ScalarStyle.Plain, true, false),
        long l => new Scalar(AnchorName.Empty, TagName.Empty, l.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false),
        double d => new Scalar(AnchorName.Empty, TagName.Empty, FormatDouble(d), ScalarStyle.Plain, true, false),
        string s => new Scalar(AnchorName.Empty, TagName.Empty, s, NeedsQuotes(s) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true),
        _ => throw new InvalidOperationException($"cannot write {value.GetType().Name}"),
    };

    // A string that reads back as a number, bool or null must be quoted to stay a string.
    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || s is "null" or "~" or "true" or "false" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Round-trip, invariant, and always recognisably a float ("1.0", not "1").</summary>
    public static string FormatDouble(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('e') || s.Contains("Infinity") || s == "NaN" ? s : s + ".0";
    }

    public static string ToCanonicalJson(Component tree)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            WriteJson(writer, tree);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteRawValue(FormatDouble(d)); break;
            case string s: w.WriteStringValue(s); break;
            case Component c:
                w.WriteStartObject();
                if (c.NameKey is not null) w.WriteString(c.NameKey, c.Name);
                foreach (var (k, v) in c.Values)
                {
                    w.WritePropertyName(k);
                    WriteJson(w, v);
                }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) WriteJson(w, item);
                w.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"cannot write {value.GetType().Name}");
        }
    }

    /// <summary>
    /// Short stable hash of everything that decides a trial's result: the whole tree but the keys that never change it
    /// (<see cref="ExperimentSchema.OutsideFingerprint"/>: loggers and limits), so adding a logger or raising a limit keeps the id.
    /// </summary>
    public static string Hash(Component tree)
    {
        var fingerprinted = new Component(tree.Name, tree.Values.Where(kv => !ExperimentSchema.OutsideFingerprint.Contains(kv.Key)).ToList(), tree.NameKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson(fingerprinted))))[..8];
    }
}
