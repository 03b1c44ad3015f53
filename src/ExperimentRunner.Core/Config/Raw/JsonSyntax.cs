using System.Globalization;
using System.Text.RegularExpressions;

namespace ExperimentRunner.Core.Config.Raw;

/// <summary>A JSON syntax error in the user's terms, at a 1-based line and column.</summary>
public sealed record JsonSyntaxError(int Line, int Column, string Message);

/// <summary>
/// Checks JSON text the way a person reads it and names the first mistake in words a user knows (trailing comma,
/// comment, missing value, unclosed bracket, single quotes, ...). YAML would accept much of what JSON forbids, and
/// System.Text.Json's messages speak of reader options; the tree itself is then built by the YAML reader, as JSON is
/// YAML. The scan is iterative: no input nests it deeper than <see cref="ReaderLimits.MaxDepth"/>.
/// </summary>
public sealed partial class JsonSyntax
{
    private enum Expect
    {
        Value,
        FirstValueOrEnd,
        NextValue,
        FirstKeyOrEnd,
        NextKey,
        Colon,
        CommaOrEnd,
    }

    private readonly string _text;
    private readonly Stack<(char Open, int At)> _open = new();
    private int _i;
    private int _lastComma = -1;
    private string? _key;

    private JsonSyntax(string text) => _text = text;

    public static JsonSyntaxError? FirstError(string text) => new JsonSyntax(text).Scan();

    private JsonSyntaxError? Scan()
    {
        var expect = Expect.Value;
        while (true)
        {
            SkipWhitespace();
            if (_i >= _text.Length) return AtEnd(expect);
            var c = _text[_i];
            if (c == '/' && _i + 1 < _text.Length && _text[_i + 1] is '/' or '*' || c == '#')
                return Error(_i, $"comments are not allowed in JSON ('{(c == '#' ? "#" : _text.Substring(_i, 2))}' starts one here); remove it, or write the experiment as .yaml, where '#' starts a comment");
            var error = expect switch
            {
                Expect.Value or Expect.FirstValueOrEnd or Expect.NextValue => OnValue(ref expect, c),
                Expect.FirstKeyOrEnd or Expect.NextKey => OnKey(ref expect, c),
                Expect.Colon => OnColon(ref expect, c),
                _ => OnCommaOrEnd(ref expect, c),
            };
            if (error is not null) return error;
        }
    }

    private JsonSyntaxError? AtEnd(Expect expect)
    {
        if (_open.Count > 0)
        {
            var (open, at) = _open.Peek();
            return Error(at, $"the '{open}' here is never closed: the file ends before its '{Closer(open)}'");
        }
        // An empty document is left to the YAML reader, which says the file is empty.
        return expect is Expect.Value or Expect.CommaOrEnd ? null : Error(_i, "the file ends in the middle of a value");
    }

    private JsonSyntaxError? OnValue(ref Expect expect, char c)
    {
        var inList = _open.Count > 0 && _open.Peek().Open == '[';
        switch (c)
        {
            case ']' when expect == Expect.FirstValueOrEnd:
                _open.Pop();
                expect = Expect.CommaOrEnd;
                _i++;
                return null;
            case ']' or '}' when expect == Expect.NextValue:
                return Error(_lastComma, $"trailing comma: JSON allows no comma after the last item of a list; remove it");
            case ',' or ']' or '}' when !inList || expect == Expect.Value:
                return Error(_i, _key is null ? $"a value is missing before '{c}'" : $"the value of \"{_key}\" is missing: write one after the ':' (null if there is none)");
            case ',':
                return Error(_i, expect == Expect.FirstValueOrEnd ? "a comma before the first item of the list; remove it" : "two commas in a row: an item of the list is missing");
        }
        var error = ReadValue(c, ref expect);
        _key = null;
        return error;
    }

    private JsonSyntaxError? ReadValue(char c, ref Expect expect)
    {
        switch (c)
        {
            case '{' or '[':
                if (_open.Count >= ReaderLimits.MaxDepth) return Error(_i, ReaderLimits.DepthMessage("the document"));
                _open.Push((c, _i++));
                expect = c == '{' ? Expect.FirstKeyOrEnd : Expect.FirstValueOrEnd;
                return null;
            case '"':
                return ReadString(out _) ?? Done(ref expect);
            case '\'':
                return Error(_i, "JSON strings need double quotes (\"...\"), not single quotes");
            case '-' or (>= '0' and <= '9'):
                return ReadNumber() ?? Done(ref expect);
        }
        if (!char.IsLetter(c) && c != '.' && c != '+')
            return Error(_i, $"unexpected {Show(c)} where a value should start (text in double quotes, a number, true, false, null, {{...}} or [...])");
        var start = _i;
        while (_i < _text.Length && (char.IsLetterOrDigit(_text[_i]) || _text[_i] is '_' or '.' or '+' or '-')) _i++;
        var word = _text[start.._i];
        return word switch
        {
            "true" or "false" or "null" => Done(ref expect),
            "NaN" or "Infinity" or "+Infinity" => Error(start, $"'{word}' is not a JSON number; JSON has no NaN or infinity (use a finite number, or null)"),
            "True" or "False" or "TRUE" or "FALSE" or "None" or "Null" or "NULL" => Error(start, $"'{word}' is not a JSON value; JSON writes true, false and null in lower case"),
            _ when word.Length > 0 && (word[0] is '.' or '+' || char.IsDigit(word[0])) => Error(start, $"'{word}' is not a JSON number; {NumberHint(word)}"),
            _ => Error(start, $"'{word}' is not a JSON value; text needs double quotes: \"{word}\""),
        };
    }

    private static JsonSyntaxError? Done(ref Expect expect)
    {
        expect = Expect.CommaOrEnd;
        return null;
    }

    private JsonSyntaxError? OnKey(ref Expect expect, char c)
    {
        switch (c)
        {
            case '}' when expect == Expect.FirstKeyOrEnd:
                _open.Pop();
                expect = Expect.CommaOrEnd;
                _i++;
                return null;
            case '}':
                return Error(_lastComma, "trailing comma: JSON allows no comma after the last entry of a mapping; remove it");
            case '"':
                var error = ReadString(out var key);
                if (error is not null) return error;
                _key = key;
                expect = Expect.Colon;
                return null;
            case '\'':
                return Error(_i, "JSON keys need double quotes (\"...\"), not single quotes");
            case ',':
                return Error(_i, expect == Expect.FirstKeyOrEnd ? "a comma before the first key; remove it" : "two commas in a row: an entry is missing");
        }
        if (char.IsLetter(c) || c == '_')
        {
            var start = _i;
            while (_i < _text.Length && (char.IsLetterOrDigit(_text[_i]) || _text[_i] == '_')) _i++;
            return Error(start, $"JSON keys need double quotes: write \"{_text[start.._i]}\"");
        }
        return Error(_i, $"expected a key in double quotes or '}}', found {Show(c)}");
    }

    private JsonSyntaxError? OnColon(ref Expect expect, char c)
    {
        if (c != ':') return Error(_i, $"a ':' is missing after the key \"{_key}\"");
        _i++;
        expect = Expect.Value;
        return null;
    }

    private JsonSyntaxError? OnCommaOrEnd(ref Expect expect, char c)
    {
        if (_open.Count == 0)
            return Error(_i, "text after the end of the JSON document; a file holds one value ({...}): remove the rest, or put it inside");
        var (open, at) = _open.Peek();
        if (c == ',')
        {
            _lastComma = _i++;
            expect = open == '{' ? Expect.NextKey : Expect.NextValue;
            return null;
        }
        if (c is '}' or ']')
        {
            if (c != Closer(open))
                return Error(_i, $"'{c}' does not close the '{open}' at {Where(at)}; close that with '{Closer(open)}' first");
            _open.Pop();
            _i++;
            return null;
        }
        if (c == ':' && open == '[')
            return Error(_i, $"a ':' inside the list opened at {Where(at)}: is that list's ']' missing?");
        var next = c == '"' && open == '{' ? $" before the key {Preview()}" : "";
        return Error(_i, $"a ',' is missing between two {(open == '{' ? "entries" : "items")}{next}");
    }

    private JsonSyntaxError? ReadString(out string content)
    {
        var start = _i++;
        content = "";
        while (_i < _text.Length)
        {
            var c = _text[_i];
            switch (c)
            {
                case '"':
                    content = _text[(start + 1).._i++];
                    return null;
                case '\\':
                    if (_i + 1 >= _text.Length) break;
                    var e = _text[_i + 1];
                    if (e == 'u' && _i + 5 < _text.Length && HexDigits().IsMatch(_text.AsSpan(_i + 2, 4)))
                    {
                        _i += 6;
                        continue;
                    }
                    if (e is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                        return Error(_i, $"'\\{e}' is not a JSON escape; inside strings JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX (write a backslash as \\\\)");
                    _i += 2;
                    continue;
                case '\n' or '\r':
                    return Error(start, "this string is not closed on its line: add the closing '\"' (a line break inside a string is written \\n)");
                case '\t':
                    return Error(_i, "a tab inside a string must be written \\t");
                case < ' ':
                    return Error(_i, $"control character U+{(int)c:X4} inside a string; write it as \\u{(int)c:X4}");
            }
            _i++;
        }
        return Error(start, "this string is never closed: the file ends before its closing '\"'");
    }

    private JsonSyntaxError? ReadNumber()
    {
        var start = _i;
        while (_i < _text.Length && (char.IsAsciiDigit(_text[_i]) || char.IsAsciiLetter(_text[_i]) || _text[_i] is '.' or '-' or '+')) _i++;
        var token = _text[start.._i];
        if (NumberPattern().IsMatch(token)) return null;
        if (token is "-Infinity" or "-NaN") return Error(start, $"'{token}' is not a JSON number; JSON has no NaN or infinity (use a finite number, or null)");
        return Error(start, $"'{token}' is not a JSON number; {NumberHint(token)}");
    }

    private static string NumberHint(string token)
    {
        var digits = token.TrimStart('-', '+');
        if (token.StartsWith('+')) return $"drop the '+' ({token[1..]})";
        if (digits.StartsWith('.')) return $"write a digit before the point ({(token.StartsWith('-') ? "-" : "")}0{digits})";
        if (digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]))
        {
            var trimmed = digits.TrimStart('0');
            var fixedDigits = trimmed.Length > 0 && char.IsAsciiDigit(trimmed[0]) ? trimmed : "0" + trimmed;
            return $"leading zeros are not allowed (write {token[..^digits.Length]}{fixedDigits})";
        }
        if (digits.EndsWith('.')) return "digits must follow the decimal point (write 1.0 or 1)";
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return "JSON numbers are decimal";
        return "numbers look like 12, -3, 0.5 or 1e-4; text needs double quotes";
    }

    private string Preview()
    {
        var end = _text.IndexOf('"', _i + 1);
        return end < 0 || end - _i > 40 ? "\"...\"" : _text[_i..(end + 1)];
    }

    private void SkipWhitespace()
    {
        while (_i < _text.Length && _text[_i] is ' ' or '\t' or '\n' or '\r') _i++;
    }

    private static char Closer(char open) => open == '{' ? '}' : ']';

    private static string Show(char c) => c < ' ' || c == '\u007f' ? $"character U+{(int)c:X4}" : $"'{c}'";

    private string Where(int at)
    {
        var (line, column) = Position(at);
        return $"line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}";
    }

    private JsonSyntaxError Error(int at, string message)
    {
        var (line, column) = Position(at);
        return new JsonSyntaxError(line, column, message);
    }

    private (int Line, int Column) Position(int at)
    {
        at = Math.Clamp(at, 0, _text.Length);
        var lineStart = at == 0 ? 0 : _text.LastIndexOf('\n', at - 1) + 1;
        var line = 1 + _text.AsSpan(0, lineStart).Count('\n');
        return (line, at - lineStart + 1);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex("^[0-9a-fA-F]{4}$")]
    private static partial Regex HexDigits();
}
