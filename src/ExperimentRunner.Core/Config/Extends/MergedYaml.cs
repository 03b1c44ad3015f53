using ExperimentRunner.Core.Config.Raw;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentRunner.Core.Config.Extends;

/// <summary>
/// A merged experiment written back as one YAML file, for places that need the whole experiment in one text (a
/// Kubernetes ConfigMap holds one file, not the bases beside it). Quoted scalars stay quoted, so text stays text.
/// </summary>
public static class MergedYaml
{
    public static string Write(RawMapping tree)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, tree);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, RawNode node)
    {
        switch (node)
        {
            case RawMapping map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var entry in map.Entries)
                {
                    emitter.Emit(new Scalar(entry.Key));
                    Emit(emitter, entry.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case RawSequence seq:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, seq.Items.All(i => i is RawScalar) ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in seq.Items) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case RawScalar { IsNull: true }:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case RawScalar scalar:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, scalar.Value, scalar.Quoted ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, !scalar.Quoted, scalar.Quoted));
                break;
        }
    }
}
