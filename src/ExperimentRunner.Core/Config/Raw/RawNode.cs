using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// The untyped tree an experiment file parses into, before binding. YAML, JSON, <c>--set</c> overrides
/// and sweep values all meet here, each node remembering where it came from for error messages.
/// </summary>
public abstract record RawNode(SourceMark Mark)
{
    public abstract string Describe();
}

public sealed record RawScalar(string Value, bool Quoted, SourceMark Mark) : RawNode(Mark)
{
    /// <summary>Plain <c>null</c>, <c>~</c> or an empty plain scalar: YAML's null.</summary>
    public bool IsNull => !Quoted && (Value.Length == 0 || Value is "null" or "Null" or "NULL" or "~");

    public override string Describe() => IsNull ? "null" : Quoted ? $"\"{Value}\"" : Value;
}

public sealed record RawSequence(IReadOnlyList<RawNode> Items, SourceMark Mark) : RawNode(Mark)
{
    public override string Describe() => $"[{string.Join(", ", Items.Select(i => i.Describe()))}]";
}

public sealed record RawEntry(string Key, SourceMark KeyMark, RawNode Value);

public sealed record RawMapping(IReadOnlyList<RawEntry> Entries, SourceMark Mark) : RawNode(Mark)
{
    public RawNode? this[string key] =>
        Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public RawEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key == key);

    public RawMapping With(string key, RawNode value, SourceMark keyMark)
    {
        var entries = Entries.ToList();
        var at = entries.FindIndex(e => e.Key == key);
        if (at >= 0) entries[at] = entries[at] with { Value = value };
        else entries.Add(new RawEntry(key, keyMark, value));
        return this with { Entries = entries };
    }

    public RawMapping Without(string key) =>
        this with { Entries = Entries.Where(e => e.Key != key).ToList() };

    public override string Describe() =>
        $"{{{string.Join(", ", Entries.Select(e => $"{e.Key}: {e.Value.Describe()}"))}}}";
}
