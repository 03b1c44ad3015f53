namespace ExperimentRunner.Core.Catalog;

public enum TaskKind
{
    Classification,
    Regression,
}

/// <summary>What a network's last layer hands to the loss.</summary>
public enum OutputKind
{
    /// <summary>Unbounded class scores; softmax (or sigmoid) is applied inside the loss.</summary>
    Logits,
    Probabilities,
    LogProbabilities,
    /// <summary>Plain numbers compared with the target as they are.</summary>
    Values,
}

/// <summary>How class labels are handed to a loss.</summary>
public enum TargetForm
{
    ClassIndex,
    OneHot,
}

public static class OutputKindText
{
    public static string Words(this OutputKind kind) => kind switch
    {
        OutputKind.Logits => "raw logits",
        OutputKind.Probabilities => "probabilities",
        OutputKind.LogProbabilities => "log-probabilities",
        _ => "values",
    };
}
