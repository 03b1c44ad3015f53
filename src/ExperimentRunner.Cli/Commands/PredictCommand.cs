using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using System.Globalization;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Torch.Predicting;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun predict TRIAL_DIR INPUT [-o predictions.csv] [--checkpoint best|last] [--labels FILE]</c>: a finished
/// trial's weights applied to new rows (a csv with the training columns, or idx images), one output row per input row.
/// </summary>
public static class PredictCommand
{
    public static readonly string[] Checkpoints = ["best", "last"];

    public static Command Create(CliContext context)
    {
        var trial = new Argument<string>("trial-dir") { Description = "a finished trial's folder: results/<name>/trials/<trial-id>" };
        var input = new Argument<string>("input") { Description = "rows to predict: a csv with the trial's training columns (its target column optional), or an idx image file" };
        var output = new Option<string>("--output", "-o") { Description = "the predictions csv to write", DefaultValueFactory = _ => "predictions.csv" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "which weights: best (lowest validation loss) or last", DefaultValueFactory = _ => "best" };
        checkpoint.AcceptOnlyFromAmong(Checkpoints);
        var labels = new Option<string?>("--labels") { Description = "idx input: the label file of the images, to score the predictions" };
        trial.CompletionSources.Add(PathCompletion.Folders());
        input.CompletionSources.Add(PathCompletion.Files());
        output.CompletionSources.Add(PathCompletion.Files(".csv"));
        labels.CompletionSources.Add(PathCompletion.Files());
        var command = new Command("predict", "apply a trained trial to new rows: predicted class and per-class probabilities, or the predicted value") { trial, input, output, checkpoint, labels };
        command.SetAction(parse => Execute(context, parse.GetValue(trial)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(checkpoint)!, parse.GetValue(labels)));
        return command;
    }

    private static int Execute(CliContext context, string trialDir, string input, string output, string checkpoint, string? labels)
    {
        PredictionResult result;
        try
        {
            result = new TrialPredictor(context.Runtime).Predict(trialDir, input, labels, checkpoint);
        }
        catch (Exception ex) when (ex is DatasetFileException or ConfigException)
        {
            context.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.UsageError;
        }
        try
        {
            AtomicFile.WriteAllText(output, result.Csv);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{output}: error: cannot write the predictions: {ex.Message}");
            return ExitCodes.UsageError;
        }
        var scores = string.Join(", ", result.Scores.Select(kv => $"{kv.Key} {kv.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
        var scored = result.Scores.Count > 0 ? $"; {scores} over the {result.Scored} {(result.Scored == 1 ? "row" : "rows")} with a target" : "";
        context.Out.WriteLine($"wrote {output}: {result.Rows} {(result.Rows == 1 ? "prediction" : "predictions")} with the {checkpoint} weights{scored}");
        if (result.UnseenCategoryRows > 0)
            context.Error.WriteLine($"warning: {result.UnseenCategoryRows} {(result.UnseenCategoryRows == 1 ? "row has" : "rows have")} a category no training row had; encoded as all zeros");
        return ExitCodes.Ok;
    }
}
