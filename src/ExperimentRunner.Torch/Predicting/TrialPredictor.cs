using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.Metrics;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Running;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Predicting;

/// <summary>A trial's predictions for new rows, and their score where the rows have targets.</summary>
/// <param name="Scores">Each of the trial's metrics over the rows with a target (empty when none has one).</param>
public sealed record PredictionResult(string Csv, int Rows, int Scored, IReadOnlyDictionary<string, double> Scores, int UnseenCategoryRows);

/// <summary>
/// <c>exprun predict</c>: applies a finished trial's weights to rows it never saw. Everything comes from the trial
/// folder: the model settings (config.yaml), the preprocessing fitted on its training rows (run.json) and the
/// weights (checkpoints/); the rows are read as the trial's own were and evaluated in the same chunks, so the
/// trial's own test rows get exactly the predictions its test metric was computed from.
/// </summary>
public sealed class TrialPredictor(ExprunRuntime runtime)
{
    /// <param name="input">A csv file (trials on csv data) or an idx image file (trials on idx data).</param>
    /// <param name="labels">idx only: the label file of <paramref name="input"/>, to score the predictions.</param>
    /// <param name="checkpoint">best or last.</param>
    /// <exception cref="DatasetFileException">The trial folder or the input cannot be used; the message says why.</exception>
    public PredictionResult Predict(string trialDir, string input, string? labels, string checkpoint)
    {
        var manifest = RunManifest.TryLoad(trialDir)
            ?? throw new DatasetFileException($"{trialDir}: no readable {RunManifest.FileName}: not a trial folder (results/<name>/trials/<trial-id>)");
        if (manifest.StatusValue is not (TrialStatus.Completed or TrialStatus.EarlyStopped))
            throw new DatasetFileException($"{trialDir}: the trial is {manifest.Status}, not completed; only a finished trial's weights can predict");
        var fitted = manifest.Preprocessing
            ?? throw new DatasetFileException($"{trialDir}: run.json records no fitted preprocessing (the trial was run by an older exprun); run it again to predict with it");
        var spec = TrialSpecOf(trialDir);
        var weights = Path.Combine(trialDir, "checkpoints", $"{checkpoint}.safetensors");
        if (!File.Exists(weights))
            throw new DatasetFileException($"{weights}: not found; the trial kept {string.Join(" and ", spec.Checkpoint.Keep)} weights as {string.Join(" and ", spec.Checkpoint.Formats)}");
        // Weights cut short or changed since they were written are named here, not loaded (or half loaded).
        if (CheckpointFiles.ReadChecksums(CheckpointFiles.Dir(trialDir))?.GetValueOrDefault(Path.GetFileName(weights)) is { } digest
            && digest.Mismatch(weights) is { } damage)
            throw new DatasetFileException($"{weights}: damaged: {damage}; run the trial again with --restart-damaged (exprun check lists every damaged file)");

        var rows = ReadRows(spec, fitted, input, labels);
        RuntimeInfo.UseThreads(1);
        using var model = runtime.Models.Build(spec.Model, [.. fitted.InputShape], fitted.Outputs).Network;
        model.load_safetensors(weights, strict: true);
        var outputs = Forward(model, rows.Inputs, spec.Training.EvalBatchSize);
        return Describe(spec, fitted, manifest, rows, outputs);
    }

    private ExperimentSpec TrialSpecOf(string trialDir)
    {
        var config = Path.Combine(trialDir, TrialPaths.ConfigFile);
        if (!File.Exists(config)) throw new DatasetFileException($"{config}: not found; a trial folder holds the config.yaml it ran with");
        return new ExperimentLoader(runtime.Catalogs, checkDataFiles: false).Load(config).Trials.Single().Spec;
    }

    private static NewRows ReadRows(ExperimentSpec spec, FittedPreprocessing fitted, string input, string? labels)
    {
        var full = Path.GetFullPath(input);
        if (spec.Dataset.Csv is { } csv) return NewRowsReader.FromCsv(input, full, csv, fitted);
        if (spec.Dataset.Idx is not null) return NewRowsReader.FromIdx(input, full, labels, labels is null ? null : Path.GetFullPath(labels), fitted);
        throw new DatasetFileException($"{input}: the trial trained on generated data ('{spec.Dataset.Name}'); predict reads csv rows for csv trials and idx images for idx trials");
    }

    /// <summary>Network outputs in eval mode under no_grad, in the trial's evaluation chunks (so its own rows come out bit for bit as they did).</summary>
    private static float[] Forward(nn.Module<Tensor, Tensor> model, DataSet rows, int chunk)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long[] shape = [rows.Rows, .. rows.Shape.Select(d => (long)d)];
        var inputs = tensor(rows.Features.ToArray(), shape);
        var parts = new List<Tensor>();
        for (var start = 0; start < rows.Rows; start += chunk)
            parts.Add(model.forward(inputs.narrow(0, start, Math.Min(chunk, rows.Rows - start))));
        return rows.Rows == 0 ? [] : cat(parts, 0).to_type(ScalarType.Float32).data<float>().ToArray();
    }

    private PredictionResult Describe(ExperimentSpec spec, FittedPreprocessing fitted, RunManifest manifest, NewRows rows, float[] outputs)
    {
        var width = fitted.Outputs;
        var classification = fitted.TaskKind == TaskKind.Classification;
        var where = spec.Dataset.Csv is not null ? "line" : "item";
        var hasTarget = rows.Labels is not null || rows.Values is not null;
        var header = new List<string> { where };
        if (hasTarget) header.Add("target");
        header.Add("predicted");
        var names = fitted.ClassNames ?? [];
        var probabilities = classification ? Probabilities(spec) : null;
        if (classification) header.AddRange(names.Select(n => $"{(probabilities is null ? "score" : "p")}_{n}"));

        var table = new List<IReadOnlyList<string>>();
        var predicted = new long[rows.Inputs.Rows];
        for (var r = 0; r < rows.Inputs.Rows; r++)
        {
            var output = outputs.AsSpan(r * width, width);
            var cells = new List<string> { rows.Lines[r].ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (classification)
            {
                predicted[r] = ArgMax(output);
                if (rows.Labels is { } l) cells.Add(l[r] >= 0 ? names[(int)l[r]] : "");
                cells.Add(names[(int)predicted[r]]);
                var shown = probabilities?.Invoke(output.ToArray()) ?? output.ToArray().Select(v => (double)v).ToArray();
                cells.AddRange(shown.Select(v => CsvText.Number(v)));
            }
            else
            {
                if (rows.Values is { } v) cells.Add(CsvText.Number(v[r]));
                cells.Add(CsvText.Number(output[0]));
            }
            table.Add(cells);
        }
        var (scored, scores) = Score(manifest.Metrics, fitted, rows, predicted, outputs);
        return new PredictionResult(CsvText.Write(header, table), rows.Inputs.Rows, scored, scores, rows.UnseenCategoryRows);
    }

    /// <summary>How outputs become class probabilities: softmax of logits, exp of log-probabilities, probabilities as they are; null for raw scores (a value loss on one-hot targets).</summary>
    private Func<float[], double[]>? Probabilities(ExperimentSpec spec)
    {
        if (runtime.Catalogs.Losses.Get(spec.Loss.Name).Expects == OutputKind.Values) return null;
        return runtime.Catalogs.OutputActivations.Get(spec.Model.OutputActivation.Name).Produces switch
        {
            OutputKind.Logits => Softmax,
            OutputKind.LogProbabilities => o => o.Select(v => Math.Exp(v)).ToArray(),
            OutputKind.Probabilities => o => o.Select(v => (double)v).ToArray(),
            _ => null,
        };
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    private static long ArgMax(ReadOnlySpan<float> output)
    {
        // The first of equal maxima, as torch.argmax picks it.
        var best = 0;
        for (var i = 1; i < output.Length; i++)
        {
            if (output[i] > output[best]) best = i;
        }
        return best;
    }

    private static (int Scored, IReadOnlyDictionary<string, double> Scores) Score(IReadOnlyList<string> metrics, FittedPreprocessing fitted, NewRows rows, long[] predicted, float[] outputs)
    {
        var scores = new Dictionary<string, double>();
        if (rows.Labels is { } labels)
        {
            var keep = Enumerable.Range(0, labels.Length).Where(i => labels[i] >= 0).ToArray();
            if (keep.Length == 0) return (0, scores);
            var p = keep.Select(i => predicted[i]).ToArray();
            var a = keep.Select(i => labels[i]).ToArray();
            foreach (var m in metrics) scores[m] = MetricCalculator.Classification(m, p, a, fitted.Outputs);
            return (keep.Length, scores);
        }
        if (rows.Values is { } values)
        {
            var keep = Enumerable.Range(0, values.Length).Where(i => !float.IsNaN(values[i])).ToArray();
            if (keep.Length == 0) return (0, scores);
            var p = keep.Select(i => outputs[i * fitted.Outputs]).ToArray();
            var a = keep.Select(i => values[i]).ToArray();
            foreach (var m in metrics) scores[m] = MetricCalculator.Regression(m, p, a);
            return (keep.Length, scores);
        }
        return (0, scores);
    }
}
