using System.Text;
using System.Text.RegularExpressions;

namespace ExperimentRunner.Tests.Fuzz;

public enum Verdict
{
    /// <summary>Exit 0 for a file that may be valid.</summary>
    Accepted,
    /// <summary>Exit 2 with an error line naming the file, in the user's terms.</summary>
    CleanRefusal,
    /// <summary>An exit code outside 0, 1, 2, or a stack trace in the output.</summary>
    Crash,
    /// <summary>Still running at the time limit.</summary>
    Hang,
    /// <summary>Accepted what must be refused, refused without saying where, .NET's words, or files written.</summary>
    WrongOrLost,
}

public sealed record Judged(Mutant Mutant, Verdict Verdict, string Why, ExprunResult Result);

/// <summary>Decides what an <c>exprun</c> run on a mutant amounts to, and tabulates a corpus.</summary>
public static partial class FuzzVerdict
{
    // .NET's own words: exception names and System.Text.Json's reader texts, which tell a user nothing.
    private static readonly string[] DotNetWords =
    [
        "System.", "Exception:", "LineNumber:", "BytePositionInLine", "Change the reader options", "is an invalid start of", "is invalid after a",
        "Expected depth to be zero", "is invalid within a JSON string", "Expected a '", "The JSON ",
    ];

    public static Judged Validate(Mutant mutant, string path, ExprunResult r, bool wroteFiles)
    {
        if (Common(r, wroteFiles) is { } early) return new Judged(mutant, early.Verdict, early.Why, r);
        switch (r.Code)
        {
            case 2:
                var named = r.Error.Split('\n').FirstOrDefault(l => l.StartsWith(path, StringComparison.Ordinal) && l.Contains("error: ", StringComparison.Ordinal));
                if (named is null) return new Judged(mutant, Verdict.WrongOrLost, "exit 2 without an error line naming the file", r);
                if (DotNetWords.FirstOrDefault(w => r.Error.Contains(w, StringComparison.Ordinal)) is { } word)
                    return new Judged(mutant, Verdict.WrongOrLost, $"the message speaks .NET ('{word}')", r);
                return new Judged(mutant, Verdict.CleanRefusal, "", r);
            case 0:
                if (mutant.Expect == Expectation.Refuse) return new Judged(mutant, Verdict.WrongOrLost, "accepted a file that must be refused", r);
                if (!r.Out.Contains($"ok {path}", StringComparison.Ordinal)) return new Judged(mutant, Verdict.WrongOrLost, "exit 0 without 'ok' for the file", r);
                return new Judged(mutant, Verdict.Accepted, "", r);
            default:
                return new Judged(mutant, Verdict.WrongOrLost, $"validate exited {r.Code}, which only a trial failure may give", r);
        }
    }

    /// <summary><c>validate --smoke</c> of a file that validated: exit 0, or 1 with each failed trial named and explained.</summary>
    public static Judged Smoke(Mutant mutant, string path, ExprunResult r, bool wroteFiles)
    {
        if (Common(r, wroteFiles) is { } early) return new Judged(mutant, early.Verdict, early.Why, r);
        return r.Code switch
        {
            0 when r.Out.Contains($"smoke ok {path}", StringComparison.Ordinal) => new Judged(mutant, Verdict.Accepted, "", r),
            1 when r.Out.Contains($"smoke FAILED {path} trial", StringComparison.Ordinal) => new Judged(mutant, Verdict.CleanRefusal, "", r),
            _ => new Judged(mutant, Verdict.WrongOrLost, $"smoke exited {r.Code} without naming the trial", r),
        };
    }

    private static (Verdict Verdict, string Why)? Common(ExprunResult r, bool wroteFiles)
    {
        if (r.TimedOut) return (Verdict.Hang, $"still running after {r.Elapsed.TotalSeconds:0.0} s");
        var all = r.Out + r.Error;
        if (r.Code is not (0 or 1 or 2)) return (Verdict.Crash, $"exit code {r.Code}");
        if (all.Contains("Unhandled exception", StringComparison.Ordinal) || all.Contains("Stack overflow", StringComparison.Ordinal) || StackFrame().IsMatch(all))
            return (Verdict.Crash, "a stack trace in the output");
        if (wroteFiles) return (Verdict.WrongOrLost, "files were written or left behind");
        return null;
    }

    /// <param name="refused">what the clean refusals are: exit 2 for validate, a failed trial (exit 1) for smoke runs</param>
    public static string Table(IReadOnlyList<Judged> judged, string refused = "clean exit 2")
    {
        var sb = new StringBuilder();
        sb.AppendLine($"kind              tried  exit 0  {refused,12}  crash  hang  wrong or lost");
        foreach (var group in judged.GroupBy(j => j.Mutant.Kind.ToString()).Append(judged.GroupBy(_ => "all").Single()))
        {
            int N(Verdict v) => group.Count(j => j.Verdict == v);
            sb.AppendLine($"{group.Key,-16} {group.Count(),6} {N(Verdict.Accepted),7} {N(Verdict.CleanRefusal),13} {N(Verdict.Crash),6} {N(Verdict.Hang),5} {N(Verdict.WrongOrLost),14}");
        }
        return sb.ToString();
    }

    public static string Failures(IEnumerable<Judged> judged, int max = 15) =>
        string.Join("\n", judged.Where(j => j.Verdict is Verdict.Crash or Verdict.Hang or Verdict.WrongOrLost).Take(max).Select(j =>
            $"{j.Mutant}\n    -> {j.Verdict}: {j.Why}; exit {j.Result.Code}; {First(j.Result.Error + j.Result.Out)}"));

    private static string First(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        return line.Length > 300 ? line[..300] + "..." : line;
    }

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
