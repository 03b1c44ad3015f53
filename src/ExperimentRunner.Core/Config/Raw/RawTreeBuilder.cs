using System.Globalization;
using ExperimentRunner.Core.Problems;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// Builds one node of a YAML (or JSON) document from YamlDotNet's parsing events. YamlDotNet's parser is a state
/// machine with its own stack (no recursion per level), so the only recursion a deep file could drive was the old
/// tree builder's: this one keeps the open lists and mappings on an explicit stack and stops at
/// <see cref="ReaderLimits.MaxDepth"/>. Aliases share the node they repeat; an alias bomb (each level repeating the last
/// nine times) is stopped by counting what every alias expands to against <see cref="ReaderLimits.MaxValues"/>, so
/// nothing downstream ever walks more than that.
/// </summary>
/// <param name="rootPath">the key path of the node read (a <c>--set</c> value's key), for messages</param>
internal sealed class RawTreeBuilder(IParser parser, string source, ProblemBag problems, string rootPath = "")
{
    /// <summary>A list or mapping whose end event has not come yet.</summary>
    private sealed class Open(bool isMapping, SourceMark mark, AnchorName anchor, string path, long valuesBefore)
    {
        public bool IsMapping { get; } = isMapping;
        public SourceMark Mark { get; } = mark;
        public AnchorName Anchor { get; } = anchor;
        public string Path { get; } = path;
        public long ValuesBefore { get; } = valuesBefore;
        public List<RawNode> Items { get; } = [];
        public List<RawEntry> Entries { get; } = [];
        public Dictionary<string, RawEntry> ByKey { get; } = new(StringComparer.Ordinal);
        public int Height { get; set; }
        public RawScalar? Key { get; set; }
        public SourceMark KeyMark { get; set; } = SourceMark.None;
        public bool SkipValue { get; set; }
    }

    private sealed record Anchored(RawNode Node, long Values, int Height);

    private readonly Stack<Open> _open = new();
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private long _values;
    private RawNode? _root;

    /// <summary>Reads the next node (with everything inside it); null when a limit was exceeded (and reported).</summary>
    public RawNode? ReadNode()
    {
        _root = null;
        do
        {
            var ev = parser.Current ?? throw new YamlException("the document ends where a value should start");
            parser.MoveNext();
            if (!Step(ev)) return null;
        }
        while (_open.Count > 0);
        return _root;
    }

    private bool Step(ParsingEvent ev)
    {
        switch (ev)
        {
            case AnchorAlias alias:
                return Alias(alias);
            case Scalar scalar:
                var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
                var node = new RawScalar(scalar.Value, quoted, Mark(scalar.Start));
                if (!Count(1, node.Mark, ChildPath(), null)) return false;
                Remember(scalar.Anchor, node, 1, 0);
                Attach(node, node.Mark, 0);
                return true;
            case SequenceStart start:
                return Enter(false, start.Start, start.Anchor);
            case MappingStart start:
                return Enter(true, start.Start, start.Anchor);
            case SequenceEnd or MappingEnd:
                var open = _open.Pop();
                RawNode closed = open.IsMapping ? new RawMapping(open.Entries, open.Mark) : new RawSequence(open.Items, open.Mark);
                Remember(open.Anchor, closed, _values - open.ValuesBefore, open.Height + 1);
                Attach(closed, open.Mark, open.Height + 1);
                return true;
            default:
                throw new YamlException(ev.Start, ev.End, $"unexpected {ev.GetType().Name} where a value should be");
        }
    }

    private bool Enter(bool isMapping, Mark start, AnchorName anchor)
    {
        var mark = Mark(start);
        var path = ChildPath();
        if (_open.Count >= ReaderLimits.MaxDepth)
        {
            problems.Error(mark, Shorten(path), ReaderLimits.DepthMessage("this value"));
            return false;
        }
        if (!Count(1, mark, path, null)) return false;
        _open.Push(new Open(isMapping, mark, anchor, path, _values - 1));
        return true;
    }

    private bool Alias(AnchorAlias alias)
    {
        var mark = Mark(alias.Start);
        var path = ChildPath();
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
        {
            problems.Error(mark, path, $"unknown alias '*{alias.Value}': no '&{alias.Value}' is defined (completely) before it");
            var missing = new RawScalar("", false, mark);
            if (!Count(1, mark, path, null)) return false;
            Attach(missing, mark, 0);
            return true;
        }
        if (_open.Count + target.Height > ReaderLimits.MaxDepth)
        {
            problems.Error(mark, Shorten(path), ReaderLimits.DepthMessage($"'*{alias.Value}' repeats a value {target.Height} levels deep at depth {_open.Count}, so the expanded file"));
            return false;
        }
        if (!Count(target.Values, mark, path, $"*{alias.Value}")) return false;
        Attach(target.Node, mark, target.Height);
        return true;
    }

    private bool Count(long values, SourceMark mark, string path, string? alias)
    {
        _values += values;
        if (_values <= ReaderLimits.MaxValues) return true;
        var what = alias is null ? "here" : $"with '{alias}', which repeats {values.ToString(CultureInfo.InvariantCulture)} values,";
        problems.Error(mark, Shorten(path), ReaderLimits.ValuesMessage(what));
        return false;
    }

    private void Remember(AnchorName anchor, RawNode node, long values, int height)
    {
        if (!anchor.IsEmpty) _anchors[anchor.Value] = new Anchored(node, values, height);
    }

    /// <summary>The key path of the value that comes next (for messages): an item of a list, a mapping's value, or its key.</summary>
    private string ChildPath()
    {
        if (_open.Count == 0) return rootPath;
        var top = _open.Peek();
        if (!top.IsMapping) return $"{top.Path}[{top.Items.Count}]";
        return top.Key is { } key ? Join(top.Path, key.Value) : top.Path;
    }

    private void Attach(RawNode node, SourceMark mark, int height)
    {
        if (_open.Count == 0)
        {
            _root = node;
            return;
        }
        var top = _open.Peek();
        top.Height = Math.Max(top.Height, height);
        if (!top.IsMapping)
        {
            top.Items.Add(node);
            return;
        }
        if (top.SkipValue)
        {
            top.SkipValue = false;
            return;
        }
        if (top.Key is null)
        {
            if (node is RawScalar key)
            {
                top.Key = key;
                top.KeyMark = mark;
            }
            else
            {
                problems.Error(mark, top.Path, "a key must be a plain name, not a list or mapping");
                top.SkipValue = true;
            }
            return;
        }
        var name = top.Key.Value;
        var path = Join(top.Path, name);
        if (top.ByKey.TryGetValue(name, out var earlier))
            problems.Error(top.KeyMark, path, $"duplicate key '{name}' (first at line {earlier.KeyMark.Line}); each key may appear once");
        else
        {
            var entry = new RawEntry(name, top.KeyMark, node);
            top.Entries.Add(entry);
            top.ByKey[name] = entry;
        }
        top.Key = null;
    }

    /// <summary>A key path 64 levels deep is no help in a message: its start and end are.</summary>
    private static string Shorten(string path)
    {
        if (path.Length <= 80) return path;
        var head = path[..40];
        head = head[..Math.Max(1, head.LastIndexOfAny(['.', '[']))];
        var tail = path[^30..];
        tail = tail[Math.Max(0, tail.IndexOfAny(['.', '[']))..].TrimStart('.');
        return $"{head}...{tail}";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private SourceMark Mark(Mark m) => new(source, (int)Math.Min(m.Line, int.MaxValue), (int)Math.Min(m.Column, int.MaxValue));
}
