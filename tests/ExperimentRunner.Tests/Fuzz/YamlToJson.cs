using System.Globalization;
using System.Text;
using System.Text.Json;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>The JSON form of a shipped YAML experiment, as a user converting it by hand would write it (indented).</summary>
public static class YamlToJson
{
    public static string Convert(string yaml)
    {
        var problems = new ProblemBag();
        var tree = RawTreeReader.Read(yaml, "base.yaml", problems) ?? throw new InvalidOperationException(string.Join("\n", problems.Items));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            Write(writer, tree);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter w, RawNode node)
    {
        switch (node)
        {
            case RawScalar { IsNull: true }:
                w.WriteNullValue();
                break;
            case RawScalar { Quoted: false, Value: "true" or "false" } b:
                w.WriteBooleanValue(b.Value == "true");
                break;
            case RawScalar { Quoted: false } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                w.WriteRawValue(s.Value.StartsWith('.') ? "0" + s.Value : s.Value, skipInputValidation: true);
                break;
            case RawScalar s:
                w.WriteStringValue(s.Value);
                break;
            case RawSequence q:
                w.WriteStartArray();
                foreach (var item in q.Items) Write(w, item);
                w.WriteEndArray();
                break;
            case RawMapping m:
                w.WriteStartObject();
                foreach (var e in m.Entries)
                {
                    w.WritePropertyName(e.Key);
                    Write(w, e.Value);
                }
                w.WriteEndObject();
                break;
        }
    }
}
