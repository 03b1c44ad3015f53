using System.Text.Json.Serialization;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// trainer.json's serializer code, generated at build time, for the same reason as the results files' (see
/// ExperimentRunner.Core's ResultsJson): a worker writes one at every state checkpoint, and the reflection-based
/// serializer would build and re-JIT this code in every worker process.
/// </summary>
[JsonSerializable(typeof(CheckpointStore.ResumePoint))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
