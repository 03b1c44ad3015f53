namespace ExperimentRunner.Core.Config.Raw;

/// <summary>
/// Characters no experiment file may hold raw: C0 controls other than tab and line breaks, DEL, C1 controls other
/// than NEL, and the noncharacters U+FFFE and U+FFFF (outside YAML's printable set). The YAML scanner takes a NUL for
/// the end of the stream, so without this check everything after a stray NUL would be dropped without a word.
/// </summary>
public static class TextCharacters
{
    public sealed record Forbidden(int Line, int Column, string Name);

    public static Forbidden? FirstForbidden(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }
            if (IsAllowed(c)) continue;
            var name = c == '\0' ? "a NUL character (U+0000)" : $"the control character U+{(int)c:X4}";
            return new Forbidden(line, i - lineStart + 1, name);
        }
        return null;
    }

    private static bool IsAllowed(char c) => c switch
    {
        '\t' or '\r' or '\u0085' => true,
        < ' ' or '\u007f' => false,
        >= '\u0080' and <= '\u009f' => false,
        '\ufffe' or '\uffff' => false,
        _ => true,
    };
}
