namespace ExperimentRunner.Tests.Fuzz;

/// <summary>The kinds of damage the fuzz corpus applies to the shipped experiment files.</summary>
public enum MutationKind
{
    DeleteKey,
    DuplicateKey,
    Retype,
    ExtremeNumber,
    DeepFlow,
    DeepBlock,
    AliasBomb,
    AliasMisuse,
    BinaryJunk,
    Truncate,
    BadUtf8,
    NulByte,
    DevicePath,
    LongName,
    HugeLayers,
    SweepExplosion,
    JsonSyntax,
    Whitespace,
}

/// <summary>What a correct <c>exprun validate</c> must do with a mutant.</summary>
public enum Expectation
{
    /// <summary>The damage may or may not leave a valid file (a deleted optional key, a truncated comment): exit 0 or 2.</summary>
    Either,

    /// <summary>The file is wrong whatever else it holds (a device as data, a 300-character name): exit 2 only.</summary>
    Refuse,
}

/// <summary>One damaged experiment file: what was done to which shipped file, and the bytes to write.</summary>
public sealed record Mutant(int Index, MutationKind Kind, string Base, string FileName, byte[] Content, string What, Expectation Expect)
{
    public override string ToString() => $"#{Index} {Kind} of {Base} ({FileName}): {What}";
}
