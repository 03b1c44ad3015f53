using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>What a cross-field rule sees: the bound spec, the raw tree (for line numbers) and where to report.</summary>
public sealed class RuleContext(ExperimentSpec spec, RawMapping raw, Catalogs catalogs, ProblemBag problems)
{
    public ExperimentSpec Spec { get; } = spec;
    public Catalogs Catalogs { get; } = catalogs;

    public LossEntry Loss => Catalogs.Losses.Get(Spec.Loss.Name);

    /// <summary>The task when the dataset name decides it (synthetic sets); null when the data must be read first.</summary>
    public TaskKind? Task => Catalogs.Datasets.Get(Spec.Dataset.Name).Task;

    public int? Classes
    {
        get
        {
            var entry = Catalogs.Datasets.Get(Spec.Dataset.Name);
            if (entry.FixedClasses is { } fixedCount) return fixedCount;
            return entry.Task == TaskKind.Classification ? Spec.Dataset.Generator?.Classes : null;
        }
    }

    public void Error(string path, string message) => problems.Error(MarkOf(path), path, message);

    public void Warn(string path, string message) => problems.Warn(MarkOf(path), path, message);

    /// <summary>The line of the key, or of its nearest written parent (defaults have no line of their own).</summary>
    private SourceMark MarkOf(string path)
    {
        var parts = RawPath.Split(path);
        for (var n = parts.Length; n > 0; n--)
        {
            if (Find(string.Join('.', parts[..n])) is { } node) return node.Mark;
        }
        return raw.Mark;
    }

    /// <summary>The raw node at a dotted path; a trailing index (<c>metrics[1]</c>) picks the list item.</summary>
    private RawNode? Find(string path)
    {
        var open = path.LastIndexOf('[');
        if (open <= 0 || !path.EndsWith(']') || !int.TryParse(path.AsSpan(open + 1, path.Length - open - 2), out var index))
            return RawPath.Get(raw, path);
        var list = RawPath.Get(raw, path[..open]);
        return list is RawSequence seq && index >= 0 && index < seq.Items.Count ? seq.Items[index] : list;
    }
}

/// <summary>A rule that reads the data files themselves (not only the settings): skipped where the files are not needed.</summary>
public interface IChecksDataFiles : IConfigRule;

/// <summary>One small cross-field check ("nll needs log-probabilities"): rules stay independent and listable.</summary>
public interface IConfigRule
{
    /// <summary>The keys the rule reads (a prefix covers everything below it): it is skipped when any of them failed to bind.</summary>
    IReadOnlyList<string> Reads { get; }

    void Check(RuleContext context);
}
