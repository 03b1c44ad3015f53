using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentRunner.Core.Export;

/// <summary>
/// Scalars for manifests read by a YAML 1.2 parser (Kubernetes): a plain <c>1</c>, <c>true</c> or <c>null</c> is a
/// number, a boolean or nothing, never text, so text that looks like one must be quoted where the schema wants a string.
/// </summary>
public static partial class YamlScalars
{
    /// <summary>Text, in double quotes: for fields that must be strings whatever they hold (args, env values).</summary>
    public static YamlScalarNode Quoted(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };

    /// <summary>Text, quoted only when the plain form would read as something else.</summary>
    public static YamlScalarNode Scalar(string text) => PlainIsString(text) ? new YamlScalarNode(text) : Quoted(text);

    /// <summary>A number where the schema wants an integer (replicas, completions).</summary>
    public static YamlScalarNode Integer(int value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlScalarNode Boolean(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    /// <summary>Multi-line text kept as written (a file in a ConfigMap).</summary>
    public static YamlScalarNode Block(string text) => new(text) { Style = ScalarStyle.Literal };

    /// <summary>Whether a plain scalar resolves to a string under the YAML 1.2 core schema (not null, bool, int or float).</summary>
    public static bool PlainIsString(string text) => text.Length > 0 && !CoreNonString().IsMatch(text);

    // YAML 1.2.2, 10.3.2 (core schema tag resolution): null, bool, int (decimal, octal, hex), float (incl. .inf, .nan).
    [GeneratedRegex(@"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex CoreNonString();
}
