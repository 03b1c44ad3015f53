using ExperimentRunner.Core.Problems;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// Parses YAML or JSON text into a <see cref="RawNode"/> tree with line numbers. Works at the event
/// level so that duplicate keys are reported (with both lines) instead of silently taking the last. Any input
/// ends in a tree or in problems: raw control characters, JSON mistakes (<see cref="JsonSyntax"/>), and nesting or
/// alias expansion beyond <see cref="ReaderLimits"/> are reported before anything downstream sees them.
/// </summary>
public static class RawTreeReader
{
    public static RawNode? Read(string text, string source, ProblemBag problems)
    {
        var kind = IsJson(source) ? "JSON" : "YAML";
        if (TextCharacters.FirstForbidden(text) is { } bad)
        {
            problems.Error(new SourceMark(source, bad.Line, bad.Column), "", $"{bad.Name} is not allowed in an experiment file, which is plain text; remove it (or write it as an escape inside double quotes)");
            return null;
        }
        if (IsJson(source) && JsonSyntax.FirstError(text) is { } json)
        {
            problems.Error(new SourceMark(source, json.Line, json.Column), "", $"malformed JSON: {json.Message}");
            return null;
        }
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
            var root = new RawTreeBuilder(parser, source, problems).ReadNode();
            if (root is null) return null;
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
            problems.Error(Mark(source, ex.Start), "", $"malformed {kind}: {FirstSentence(ex.Message)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) when the text ends inside an open flow collection.
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

    /// <summary>
    /// Parses a single override value (<c>--set key=VALUE</c>) as YAML, so lists and mappings work too; null when it
    /// cannot be read (the problem is reported, naming <paramref name="path"/>).
    /// </summary>
    public static RawNode? ReadValue(string text, string path, SourceMark mark, ProblemBag problems)
    {
        if (text.Length == 0) return new RawScalar("", false, mark);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            var node = new RawTreeBuilder(parser, mark.Source, problems, path).ReadNode();
            return node is null ? null : Remark(node, mark);
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            var why = ex is YamlException yaml ? FirstSentence(yaml.Message) : "it ends inside an unclosed '[', '{' or quote";
            problems.Error(mark, path, $"cannot parse value '{(text.Length <= 100 ? text : text[..80] + "...")}': {why}");
            return null;
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

    private static string FirstSentence(string message)
    {
        var trimmed = message.Split(" LineNumber:")[0].Split(" Path:")[0].Trim();
        var paren = trimmed.IndexOf("): ", StringComparison.Ordinal);
        if (trimmed.StartsWith('(') && paren > 0) trimmed = trimmed[(paren + 3)..];
        return trimmed.TrimEnd('.');
    }

    private static SourceMark Mark(string source, YamlDotNet.Core.Mark m) => new(source, (int)m.Line, (int)m.Column);
}
