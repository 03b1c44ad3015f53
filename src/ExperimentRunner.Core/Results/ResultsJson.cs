using System.Text.Json.Serialization;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// Serializer code for the results folder's JSON files, generated at build time (and so precompiled with the rest of the
/// assembly). The reflection-based serializer builds it at run time instead: reflection, emitted accessors, then re-JIT
/// of both as trials go by. A sweep's coordinator reads every finished trial's run.json; in the 90-trial ablation that
/// was 1,346 methods re-JIT-ed and 0.75 s of its CPU, on the cores the workers train on (1,115 and 0.53 s with this).
/// Each file keeps its own options (indentation, number handling); this only supplies the metadata.
/// </summary>
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(ExperimentRecord))]
[JsonSerializable(typeof(Dictionary<string, FileDigest>))]
[JsonSerializable(typeof(SortedDictionary<string, FileDigest>))]
[JsonSerializable(typeof(LockHolder))]
internal sealed partial class ResultsJson : JsonSerializerContext;
