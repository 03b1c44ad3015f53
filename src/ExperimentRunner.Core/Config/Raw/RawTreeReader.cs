using System.Text.Json;
using ExperimentRunner.Core.Problems;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// Parses YAML or JSON text into a <see cref="RawNode"/> tree with line numbers. Works at the event
/// level so that duplicate keys are reported (with both lines) instead of silently taking the last.
/// </summary>
public static class RawTreeReader
{
    public static RawNode? Read(string text, string source, ProblemBag problems)
    {
        if (IsJson(source) && !JsonSyntaxOk(text, source, problems)) return null;
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                problems.Error(new SourceMark(source), "", "the file is empty; an experiment file is a mapping with at least name, dataset, model and loss");
                return null;
            }
            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, RawNode>();
            var root = ReadNode(parser, source, "", anchors, problems);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                problems.Error(Mark(source, second.Start), "", "the file holds more than one YAML document ('---'); put one experiment in a file");
            if (root is RawScalar { IsNull: true })
            {
                problems.Error(new SourceMark(source), "", "the file is empty; an experiment file is a mapping with at least name, dataset, model and loss");
                return null;
            }
            return root;
        }
        catch (YamlException ex)
        {
            var kind = IsJson(source) ? "JSON" : "YAML";
            problems.Error(Mark(source, ex.Start), "", $"malformed {kind}: {FirstSentence(ex.Message)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) when the text ends inside an open flow collection.
            var kind = IsJson(source) ? "JSON" : "YAML";
            problems.Error(Mark(source, parser.LastStart), "", $"malformed {kind}: the file ends inside an unclosed '[', '{{' or quote (the last value read starts here)");
            return null;
        }
    }

    /// <summary>Remembers where the last event began, to point at something when the parser fails without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public YamlDotNet.Core.Mark LastStart { get; private set; } = YamlDotNet.Core.Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current) LastStart = current.Start;
            return moved;
        }
    }

    /// <summary>Parses a single override value (<c>--set key=VALUE</c>) as YAML, so lists and mappings work too.</summary>
    public static RawNode ReadValue(string text, SourceMark mark, ProblemBag problems)
    {
        if (text.Length == 0) return new RawScalar("", false, mark);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            var node = ReadNode(parser, mark.Source, "", new Dictionary<string, RawNode>(), problems);
            return Remark(node, mark);
        }
        catch (YamlException ex)
        {
            problems.Error(mark, "", $"cannot parse value '{text}': {FirstSentence(ex.Message)}");
            return new RawScalar(text, true, mark);
        }
    }

    private static RawNode Remark(RawNode node, SourceMark mark) => node switch
    {
        RawScalar s => s with { Mark = mark },
        RawSequence q => new RawSequence(q.Items.Select(i => Remark(i, mark)).ToList(), mark),
        RawMapping m => new RawMapping(m.Entries.Select(e => new RawEntry(e.Key, mark, Remark(e.Value, mark))).ToList(), mark),
        _ => node,
    };

    private static bool IsJson(string source) => source.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    // YAML accepts some text JSON forbids (trailing commas, comments, single quotes); check JSON files with a real JSON reader first.
    private static bool JsonSyntaxOk(string text, string source, ProblemBag problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return true; // reported as empty by the YAML pass
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            return true;
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var col = (int)(ex.BytePositionInLine ?? 0) + 1;
            problems.Error(new SourceMark(source, line, col), "", $"malformed JSON: {FirstSentence(ex.Message)}");
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var trimmed = message.Split(" LineNumber:")[0].Split(" Path:")[0].Trim();
        var paren = trimmed.IndexOf("): ", StringComparison.Ordinal);
        if (trimmed.StartsWith('(') && paren > 0) trimmed = trimmed[(paren + 3)..];
        return trimmed.TrimEnd('.');
    }

    private static SourceMark Mark(string source, YamlDotNet.Core.Mark m) => new(source, (int)m.Line, (int)m.Column);

    private static RawNode ReadNode(IParser parser, string source, string path, Dictionary<string, RawNode> anchors, ProblemBag problems)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
            problems.Error(Mark(source, alias.Start), path, $"unknown alias '*{alias.Value}'");
            return new RawScalar("", false, Mark(source, alias.Start));
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new RawScalar(scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded, Mark(source, scalar.Start));
            Remember(scalar.Anchor, node, anchors);
            return node;
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<RawNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, source, $"{path}[{items.Count}]", anchors, problems));
            var node = new RawSequence(items, Mark(source, seqStart.Start));
            Remember(seqStart.Anchor, node, anchors);
            return node;
        }
        var mapStart = parser.Consume<MappingStart>();
        var entries = new List<RawEntry>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyMark = parser.Current is { } current ? Mark(source, current.Start) : SourceMark.None;
            var keyNode = ReadNode(parser, source, path, anchors, problems);
            if (keyNode is not RawScalar keyScalar)
            {
                problems.Error(keyMark, path, "a key must be a plain name, not a list or mapping");
                ReadNode(parser, source, path, anchors, problems);
                continue;
            }
            var key = keyScalar.Value;
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            var value = ReadNode(parser, source, childPath, anchors, problems);
            var earlier = entries.FirstOrDefault(e => e.Key == key);
            if (earlier is not null)
            {
                problems.Error(keyMark, childPath, $"duplicate key '{key}' (first at line {earlier.KeyMark.Line}); each key may appear once");
                continue;
            }
            entries.Add(new RawEntry(key, keyMark, value));
        }
        var map = new RawMapping(entries, Mark(source, mapStart.Start));
        Remember(mapStart.Anchor, map, anchors);
        return map;
    }

    private static void Remember(AnchorName anchor, RawNode node, Dictionary<string, RawNode> anchors)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
    }
}
