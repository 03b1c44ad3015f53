namespace ExperimentRunner.Core.Data;

/// <summary>
/// A data file that cannot be used as it is: missing, empty, malformed, or holding values the settings do not
/// allow. The message names the file (as the experiment file wrote it) and, where there is one, the row
/// (line of the file, counted from 1 like an editor does), the column and the value, and says what to change.
/// </summary>
public sealed class DatasetFileException(string message, Exception? inner = null) : Exception(message, inner);
