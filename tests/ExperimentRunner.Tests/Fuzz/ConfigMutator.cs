using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>
/// Makes seeded mutants of the shipped experiment files: the same seed gives the same bytes, so a failure names a
/// mutant that can be written out and replayed. Each kind damages the text the way a hostile or careless user would.
/// </summary>
/// <param name="fifo">a named pipe to point data paths at (null where none could be made)</param>
public sealed partial class ConfigMutator(int seed, IReadOnlyList<(string Name, string Text)> bases, string? fifo)
{
    private readonly Random _rng = new(seed);
    private int _index;

    public IReadOnlyList<Mutant> Make(int perKind)
    {
        var all = new List<Mutant>();
        foreach (var kind in Enum.GetValues<MutationKind>())
        {
            for (var i = 0; i < perKind; i++)
            {
                var (name, text) = bases[_rng.Next(bases.Count)];
                all.Add(Mutate(kind, name, text));
            }
        }
        return all;
    }

    private Mutant Mutate(MutationKind kind, string name, string text)
    {
        var (content, what, expect, json) = kind switch
        {
            MutationKind.DeleteKey => Text(DeleteKey(text), Expectation.Either),
            MutationKind.DuplicateKey => Text(DuplicateKey(text), Expectation.Refuse),
            MutationKind.Retype => Text(Retype(text), Expectation.Either),
            MutationKind.ExtremeNumber => Text(ExtremeNumber(text), Expectation.Either),
            MutationKind.DeepFlow => Text(DeepFlow(text), Expectation.Refuse),
            MutationKind.DeepBlock => Text(DeepBlock(text), Expectation.Refuse),
            MutationKind.AliasBomb => Text(AliasBomb(text), Expectation.Refuse),
            MutationKind.AliasMisuse => Text(AliasMisuse(text), Expectation.Either),
            MutationKind.BinaryJunk => Bytes(BinaryJunk(text), Expectation.Refuse),
            MutationKind.Truncate => Bytes(Truncate(text), Expectation.Either),
            MutationKind.BadUtf8 => Bytes(BadUtf8(text), Expectation.Refuse),
            MutationKind.NulByte => Bytes(NulByte(text), Expectation.Refuse),
            MutationKind.DevicePath => Text(DevicePath(text), Expectation.Refuse),
            MutationKind.LongName => Text(LongName(text), Expectation.Refuse),
            MutationKind.HugeLayers => Text(HugeLayers(text), Expectation.Refuse),
            MutationKind.SweepExplosion => Text(SweepExplosion(text), Expectation.Refuse),
            MutationKind.JsonSyntax => Json(JsonSyntax(text)),
            MutationKind.Whitespace => Whitespace(text),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var index = _index++;
        var file = $"{index:D3}-{kind}-{Path.GetFileNameWithoutExtension(name)}{(json ? ".json" : ".yaml")}";
        return new Mutant(index, kind, name, file, content, what, expect);
    }

    private static (byte[], string, Expectation, bool) Text((string Text, string What) m, Expectation expect) => (Encoding.UTF8.GetBytes(m.Text), m.What, expect, false);

    private static (byte[], string, Expectation, bool) Bytes((byte[] Bytes, string What) m, Expectation expect) => (m.Bytes, m.What, expect, false);

    private static (byte[], string, Expectation, bool) Json((string Text, string What) m) => (Encoding.UTF8.GetBytes(m.Text), m.What, Expectation.Refuse, true);

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>Lines holding one key (<c>  hidden: [64, 64]</c>), not comments or list items.</summary>
    private static List<int> KeyLines(string[] lines, bool withValue) =>
        Enumerable.Range(0, lines.Length).Where(i => KeyLine().Match(lines[i]) is { Success: true } m && (!withValue || m.Groups["value"].Value.Trim().Length > 0 && !m.Groups["value"].Value.TrimStart().StartsWith('#'))).ToList();

    private (string, string) DeleteKey(string text)
    {
        var lines = Lines(text).ToList();
        var at = Pick(KeyLines([.. lines], withValue: false));
        var removed = lines[at];
        lines.RemoveAt(at);
        return (string.Join('\n', lines), $"deleted line {at + 1} '{removed.Trim()}'");
    }

    private (string, string) DuplicateKey(string text)
    {
        var lines = Lines(text).ToList();
        var at = Pick(KeyLines([.. lines], withValue: true));
        lines.Insert(at + 1, lines[at]);
        return (string.Join('\n', lines), $"repeated line {at + 1} '{lines[at].Trim()}'");
    }

    private static readonly string[] OtherTypes =
        ["[1, 2]", "{a: 1}", "\"7\"", "true", "~", "''", "[[]]", "{}", "!!binary aGVsbG8=", "!!python/object/apply:os.system [ls]", "&x 1", "|\n    block text", "[relu, [tanh]]", "-1", "yes", "\"\"", "0x1F", "1_000", "2025-01-01"];

    private (string, string) Retype(string text)
    {
        var lines = Lines(text);
        var at = Pick(KeyLines(lines, withValue: true));
        var m = KeyLine().Match(lines[at]);
        var replacement = Pick(OtherTypes);
        lines[at] = $"{m.Groups["indent"].Value}{m.Groups["key"].Value}: {replacement}";
        return (string.Join('\n', lines), $"line {at + 1}: {m.Groups["key"].Value} became {replacement}");
    }

    private static readonly string[] Extremes =
    [
        "1e308", "-1e308", "1e309", "99999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648",
        "-1", "0", "-0", ".nan", "NaN", ".inf", "-.inf", "1e-320", "4.9e-324", "0.0000001", "1e100", "123456789012345678901234567890",
    ];

    private (string, string) ExtremeNumber(string text)
    {
        var numbers = Number().Matches(text).Where(m => !InComment(text, m.Index)).ToList();
        var target = Pick(numbers);
        var value = Pick(Extremes);
        return (text[..target.Index] + value + text[(target.Index + target.Length)..], $"{target.Value} at offset {target.Index} became {value}");
    }

    private static bool InComment(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return text.AsSpan(lineStart, index - lineStart).Contains('#');
    }

    private static readonly int[] Depths = [65, 200, 1000, 5000, 20000, 100000];

    private (string, string) DeepFlow(string text)
    {
        var depth = Pick(Depths);
        var open = _rng.Next(2) == 0 ? "[" : "{a: ";
        var close = open == "[" ? "]" : "}";
        var closed = _rng.Next(2) == 0;
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + (closed ? "1" + string.Concat(Enumerable.Repeat(close, depth)) : "");
        // Either an unknown key (refused by name) or a real key whose type is wrong; both must be refused, never crash.
        var key = Pick(["foo", "model.hidden", "loss"]);
        return key switch
        {
            "foo" => (text + $"\nfoo: {nested}\n", $"foo: {depth} nested '{open.Trim()}'{(closed ? " closed" : " unclosed")}"),
            "loss" => (ReplaceLine(text, "loss:", $"loss: {nested}"), $"loss: {depth} nested '{open.Trim()}'{(closed ? " closed" : " unclosed")}"),
            _ => (ReplaceLine(text, "  hidden:", $"  hidden: {nested}"), $"model.hidden: {depth} nested '{open.Trim()}'{(closed ? " closed" : " unclosed")}"),
        };
    }

    private (string, string) DeepBlock(string text)
    {
        var depth = Pick(Depths.Where(d => d <= 20000).ToArray());
        if (_rng.Next(2) == 0)
        {
            // "- - - - 1": block sequences nested on one line, two characters a level.
            var seq = string.Concat(Enumerable.Repeat("- ", depth)) + "1";
            return (text + $"\nfoo:\n  {seq}\n", $"foo: {depth} block sequences on one line");
        }
        var sb = new StringBuilder(text).Append("\nfoo:\n");
        var levels = Math.Min(depth, 3000); // indentation grows with depth: keep the file under ~5 MB
        for (var i = 1; i <= levels; i++) sb.Append(' ', i).Append('k').Append(i.ToString(CultureInfo.InvariantCulture)).Append(":\n");
        return (sb.ToString(), $"foo: {levels} nested block mappings");
    }

    private (string, string) AliasBomb(string text)
    {
        var levels = Pick([6, 9, 12]);
        var fan = Pick([9, 10]);
        var parts = new List<string> { $"&a0 [{string.Join(", ", Enumerable.Repeat("1", fan))}]" };
        for (var i = 1; i < levels; i++) parts.Add($"&a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", fan))}]");
        var bomb = $"[{string.Join(", ", parts)}]";
        return Pick(["hidden", "metrics", "loss"]) switch
        {
            "hidden" => (ReplaceLine(text, "  hidden:", $"  hidden: {bomb}"), $"model.hidden: alias bomb {levels} levels x {fan}"),
            "metrics" => (ReplaceLine(text, "metrics:", $"metrics: {bomb}"), $"metrics: alias bomb {levels} levels x {fan}"),
            _ => (ReplaceLine(text, "loss:", $"loss: {bomb}"), $"loss: alias bomb {levels} levels x {fan}"),
        };
    }

    private (string, string) AliasMisuse(string text)
    {
        var (line, what) = Pick<(string, string)>(
        [
            ("loss: *nowhere", "alias to an anchor never defined"),
            ("loss: &l cross_entropy\nmetrics: *l", "alias of a scalar where a list belongs"),
            ("loss: &self [*self]", "alias to its own unfinished anchor"),
            ("*k : 1", "alias as a key"),
            ("loss: &l1 cross_entropy\nloss2: &l1 mse", "anchor defined twice"),
            ("extra: &m {a: 1}\nmore:\n  <<: *m", "merge key"),
            ("loss: !custom cross_entropy", "unknown tag"),
            ("? [complex, key]\n: 1", "complex key"),
        ]);
        return (ReplaceLine(text, "loss:", line), what);
    }

    private (byte[], string) BinaryJunk(string text)
    {
        if (_rng.Next(4) == 0)
        {
            var junk = new byte[_rng.Next(1, 4096)];
            _rng.NextBytes(junk);
            junk[_rng.Next(junk.Length)] = 0xFF;
            return (junk, $"{junk.Length} random bytes");
        }
        var insert = new byte[_rng.Next(1, 64)];
        _rng.NextBytes(insert);
        insert[_rng.Next(insert.Length)] = (byte)Pick([0x00, 0x01, 0x1B, 0xFF, 0xFE]);
        return Insert(text, insert, $"{insert.Length} random bytes");
    }

    /// <summary>The text's UTF-8 bytes with <paramref name="insert"/> at a random offset.</summary>
    private (byte[], string) Insert(string text, byte[] insert, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = _rng.Next(bytes.Length);
        return ([.. bytes[..at], .. insert, .. bytes[at..]], $"{what} at offset {at}");
    }

    private (byte[], string) Truncate(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = _rng.Next(bytes.Length);
        return (bytes[..at], $"cut at byte {at} of {bytes.Length}");
    }

    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE, 0xFF]];

    private (byte[], string) BadUtf8(string text)
    {
        var bad = Pick(InvalidUtf8);
        return Insert(text, bad, $"invalid UTF-8 {Convert.ToHexString(bad)}");
    }

    private (byte[], string) NulByte(string text) => Insert(text, [0], "NUL");

    private (string, string) DevicePath(string text)
    {
        var targets = new List<string> { "/dev/zero", "/dev/urandom", "/dev/null", "/dev/full", ".", "/", "\"data\\0.csv\"", "\"\\0\"", "'/dev/zero'", "../data", "/proc/self/mem", new string('d', 300) + ".csv", string.Join('/', Enumerable.Repeat("deep", 1200)) + "/x.csv" };
        if (fifo is not null) targets.Add(fifo);
        var target = Pick(targets);
        var dataset = _rng.Next(3) == 0
            ? $"dataset: {{name: idx, images: {target}, labels: {target}}}"
            : $"dataset: {{name: csv, path: {target}, target: -1}}";
        return (ReplaceSection(text, "dataset:", dataset), $"data path {(target.Length > 40 ? target[..40] + "..." : target)}");
    }

    private (string, string) LongName(string text)
    {
        var length = Pick([256, 300, 1000, 5000, 100000]);
        var name = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)));
        return (ReplaceLine(text, "name:", $"name: {name}"), $"name of {length} characters");
    }

    private (string, string) HugeLayers(string text)
    {
        var (line, what) = Pick<(string, string)>(
        [
            ("model: {architecture: mlp, hidden: [100000000]}", "mlp hidden [100000000]"),
            ("model: {architecture: mlp, hidden: [50000, 50000, 50000]}", "mlp hidden [50000, 50000, 50000]"),
            ("model: {architecture: mlp, hidden: [2147483647]}", "mlp hidden [2147483647]"),
            ("model: {architecture: mlp, hidden: [99999999999]}", "mlp hidden [99999999999]"),
            ("model: {architecture: mlp, hidden: [" + string.Join(", ", Enumerable.Repeat("30000", 40)) + "]}", "mlp 40 x 30000"),
            ("model: {architecture: cnn, channels: [1000000], hidden: [64]}", "cnn channels [1000000]"),
            ("model: {architecture: cnn, channels: [20000, 20000], hidden: [64]}", "cnn channels [20000, 20000]"),
            ("model: {architecture: cnn, channels: [99999999999]}", "cnn channels [99999999999]"),
            ("model: {architecture: sequential, layers: [{type: flatten}, {type: linear, out_features: 1000000000}, {type: relu}, {type: linear}]}", "sequential linear 1e9"),
            ("model: {architecture: sequential, layers: [{type: conv2d, out_channels: 10000000}, {type: flatten}, {type: linear}]}", "sequential conv2d 1e7 channels"),
            ("model: {architecture: sequential, layers: [{type: flatten}, {type: linear, out_features: 99999999999}, {type: linear}]}", "sequential linear 99999999999"),
        ]);
        return (ReplaceSection(text, "model:", line), what);
    }

    private (string, string) SweepExplosion(string text)
    {
        var values = string.Join(", ", Enumerable.Range(1, 200).Select(i => (i / 1000.0).ToString("R", CultureInfo.InvariantCulture)));
        var (sweep, what) = Pick<(string, string)>(
        [
            ($"sweep: {{parameters: {{optimizer.lr: [{values}], training.batch_size: [{string.Join(", ", Enumerable.Range(1, 100))}]}}, seeds: 10000}}", "200 x 100 cells x 10000 seeds"),
            ("sweep: {method: random, parameters: {optimizer.lr: {distribution: log_uniform, min: 0.0001, max: 0.1}}, samples: 2000000000}", "random sweep of 2e9 samples"),
            ($"sweep: {{parameters: {{optimizer.lr: [{values}]}}, seeds: 10000}}", "200 cells x 10000 seeds"),
        ]);
        var without = Regex.Replace(text, @"(?ms)^sweep:.*\z", "");
        return (without.TrimEnd() + "\n" + sweep + "\n", what);
    }

    private (string, string) JsonSyntax(string text)
    {
        var json = YamlToJson.Convert(text);
        var (damaged, what) = Pick<Func<string, (string, string)>>(
        [
            j => (Regex.Replace(j, @"\}\s*$", ",}"), "trailing comma at the end"),
            j => (InsertAfterFirst(j, "{", "\n  // a comment\n"), "a // comment"),
            j => (InsertAfterFirst(j, "{", "\n  /* a block comment */\n"), "a /* */ comment"),
            j => (Regex.Replace(j, @"(""seed"":\s*)[^,\n]+", "$1"), "missing value of seed"),
            j => (j.TrimEnd().TrimEnd('}'), "the closing } removed"),
            j => (j[..(j.Length / 2)], "cut in the middle"),
            j => (j.Replace("\"name\":", "'name':", StringComparison.Ordinal), "single-quoted keys"),
            j => (j.Replace("\"seed\":", "seed:", StringComparison.Ordinal), "an unquoted key"),
            j => (Regex.Replace(j, @"(""seed"":\s*[^,\n]+),", "$1"), "a missing comma after seed"),
            j => (Regex.Replace(j, @"""seed"":\s*[^,\n]+", "\"seed\": NaN"), "NaN as a value"),
            j => (j + "\n{\"extra\": 1}\n", "a second document after the first"),
            j => (j.Replace("\"name\": \"", "\"name\": \"a\tb", StringComparison.Ordinal), "a tab inside a string"),
            j => (Regex.Replace(j, @"""seed"":\s*[^,\n]+", "\"seed\": 07"), "a number with a leading zero"),
            j => (j.Replace("\"loss\":", "\"loss\" ", StringComparison.Ordinal), "a missing colon"),
            j => (Regex.Replace(j, @"\]", "}", RegexOptions.None, TimeSpan.FromSeconds(1)), "] replaced by }"),
            j => (j.Replace("\"name\": \"", "\"name\": \"\\x", StringComparison.Ordinal), "an unknown escape"),
            j => (Regex.Replace(j, @"""seed"":\s*[^,\n]+", "\"seed\": True"), "Python's True"),
        ])(json);
        return (damaged, what);
    }

    private static string InsertAfterFirst(string text, string what, string insert)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal) + what.Length;
        return text[..at] + insert + text[at..];
    }

    private (byte[], string, Expectation, bool) Whitespace(string text)
    {
        switch (_rng.Next(4))
        {
            case 0:
                return (Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)), "CRLF line ends", Expectation.Either, false);
            case 1:
                return ([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)], "a UTF-8 byte order mark", Expectation.Either, false);
            case 2:
                var lines = Lines(text);
                var indented = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("  ", StringComparison.Ordinal)).ToList();
                if (indented.Count == 0) return (Encoding.UTF8.GetBytes(text + "\n\tfoo: 1\n"), "a tab-indented key", Expectation.Refuse, false);
                var at = Pick(indented);
                lines[at] = "\t" + lines[at][2..];
                return (Encoding.UTF8.GetBytes(string.Join('\n', lines)), $"line {at + 1} indented with a tab", Expectation.Refuse, false);
            default:
                return (Encoding.UTF8.GetBytes(string.Join('\n', Lines(text).Select(l => l + "   "))), "trailing spaces on every line", Expectation.Either, false);
        }
    }

    private static string ReplaceLine(string text, string startsWith, string replacement)
    {
        var lines = Lines(text);
        var at = Array.FindIndex(lines, l => l.StartsWith(startsWith, StringComparison.Ordinal));
        if (at < 0) return text.TrimEnd() + "\n" + replacement + "\n";
        lines[at] = replacement;
        return string.Join('\n', lines);
    }

    /// <summary>Replaces a top-level key and every indented line below it (a block section) with one line.</summary>
    private static string ReplaceSection(string text, string key, string replacement)
    {
        var lines = Lines(text).ToList();
        var at = lines.FindIndex(l => l.StartsWith(key, StringComparison.Ordinal));
        if (at < 0) return text.TrimEnd() + "\n" + replacement + "\n";
        var end = at + 1;
        while (end < lines.Count && (lines[end].StartsWith(' ') || lines[end].Length == 0)) end++;
        lines.RemoveRange(at, end - at);
        lines.Insert(at, replacement);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<key>[a-z_]+):(?<value>.*)$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"(?<=[\s\[,:])-?\d+(\.\d+)?([eE][-+]?\d+)?(?=[\s,\]}]|$)", RegexOptions.Multiline)]
    private static partial Regex Number();
}
