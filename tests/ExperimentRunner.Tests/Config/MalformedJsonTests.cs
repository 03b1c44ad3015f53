using ExperimentRunner.Cli;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Config;

/// <summary>
/// Issue 10 defect 4: malformed JSON used to get System.Text.Json's own words ("... not supported in this mode. Change
/// the reader options"). Each mistake is now named in the user's terms, at the line and column of the mistake.
/// </summary>
public sealed class MalformedJsonTests : IDisposable
{
    private const string Valid = """
        {
          "name": "tiny",
          "seed": 3,
          "dataset": {"name": "spirals", "samples": 200, "classes": 3},
          "model": {"architecture": "mlp", "hidden": [16], "activation": "relu"},
          "loss": "cross_entropy",
          "training": {"epochs": 2, "batch_size": 32}
        }

        """;

    private readonly TempDir _temp = new();

    /// <summary>(name, text to replace in the valid file, replacement, line, column, message after "malformed JSON: ")</summary>
    public static TheoryData<string, string, string, int, int, string> Cases => new()
    {
        { "trailing comma in a mapping", "\"batch_size\": 32}", "\"batch_size\": 32},", 7, 46, "trailing comma: JSON allows no comma after the last entry of a mapping; remove it" },
        { "trailing comma in a list", "[16]", "[16,]", 5, 49, "trailing comma: JSON allows no comma after the last item of a list; remove it" },
        { "line comment", "\"seed\": 3,", "\"seed\": 3, // the seed", 3, 14, "comments are not allowed in JSON ('//' starts one here); remove it, or write the experiment as .yaml, where '#' starts a comment" },
        { "block comment", "  \"loss\"", "  /* loss */ \"loss\"", 6, 3, "comments are not allowed in JSON ('/*' starts one here); remove it, or write the experiment as .yaml, where '#' starts a comment" },
        { "missing value", "\"seed\": 3,", "\"seed\": ,", 3, 11, "the value of \"seed\" is missing: write one after the ':' (null if there is none)" },
        { "missing last value", "\"batch_size\": 32}", "\"batch_size\": }", 7, 43, "the value of \"batch_size\" is missing: write one after the ':' (null if there is none)" },
        { "unclosed mapping", "\n}\n", "\n", 1, 1, "the '{' here is never closed: the file ends before its '}'" },
        { "unclosed list", "[16]", "[16", 5, 63, "a ':' inside the list opened at line 5, column 46: is that list's ']' missing?" },
        { "list closed by a brace", "[16]", "[16}", 5, 49, "'}' does not close the '[' at line 5, column 46; close that with ']' first" },
        { "single quotes", "\"tiny\"", "'tiny'", 2, 11, "JSON strings need double quotes (\"...\"), not single quotes" },
        { "unquoted key", "\"seed\":", "seed:", 3, 3, "JSON keys need double quotes: write \"seed\"" },
        { "unquoted text", "\"cross_entropy\"", "cross_entropy", 6, 11, "'cross_entropy' is not a JSON value; text needs double quotes: \"cross_entropy\"" },
        { "missing comma", "\"seed\": 3,", "\"seed\": 3", 4, 3, "a ',' is missing between two entries before the key \"dataset\"" },
        { "two commas", "\"seed\": 3,", "\"seed\": 3,,", 3, 13, "two commas in a row: an entry is missing" },
        { "missing colon", "\"loss\": ", "\"loss\" ", 6, 10, "a ':' is missing after the key \"loss\"" },
        { "NaN", "\"seed\": 3", "\"seed\": NaN", 3, 11, "'NaN' is not a JSON number; JSON has no NaN or infinity (use a finite number, or null)" },
        { "Python's True", "\"seed\": 3", "\"seed\": True", 3, 11, "'True' is not a JSON value; JSON writes true, false and null in lower case" },
        { "leading zero", "\"seed\": 3", "\"seed\": 03", 3, 11, "'03' is not a JSON number; leading zeros are not allowed (write 3)" },
        { "plus sign", "\"seed\": 3", "\"seed\": +3", 3, 11, "'+3' is not a JSON number; drop the '+' (3)" },
        { "bare fraction", "\"seed\": 3", "\"seed\": .5", 3, 11, "'.5' is not a JSON number; write a digit before the point (0.5)" },
        { "unknown escape", "\"tiny\"", "\"ti\\xny\"", 2, 14, "'\\x' is not a JSON escape; inside strings JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX (write a backslash as \\\\)" },
        { "tab in a string", "\"tiny\"", "\"ti\tny\"", 2, 14, "a tab inside a string must be written \\t" },
        { "string not closed on its line", "\"cross_entropy\",", "\"cross_entropy,", 6, 11, "this string is not closed on its line: add the closing '\"' (a line break inside a string is written \\n)" },
        { "second document", "\n}\n", "\n}\n{\"name\": \"second\"}\n", 9, 1, "text after the end of the JSON document; a file holds one value ({...}): remove the rest, or put it inside" },
        { "nested 70 deep", "[16]", new string('[', 70) + new string(']', 70), 5, 108, "the document nests deeper than 64 levels; lists and mappings may sit at most 64 deep in one another (an experiment needs about 6)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_names_the_mistake_at_its_line_and_column(string name, string replace, string by, int line, int column, string message)
    {
        Assert.Contains(replace, Valid);
        var path = _temp.Write($"{name.Replace(' ', '_').Replace('\'', '_')}.json", Valid.Replace(replace, by, StringComparison.Ordinal));

        var result = CliHarness.Run("validate", path);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"{path}:{line}:{column}: error: malformed JSON: {message}\n", result.Error);
    }

    [Fact]
    public void The_valid_file_the_cases_start_from_passes()
    {
        var result = CliHarness.Run("validate", _temp.Write("valid.json", Valid));
        Assert.Equal((0, ""), (result.ExitCode, result.Error));
    }

    public void Dispose() => _temp.Dispose();
}
