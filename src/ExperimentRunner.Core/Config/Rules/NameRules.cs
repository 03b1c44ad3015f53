using System.Text;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// The experiment's name is the name of its results folder (results/&lt;name&gt;/), so it must fit in one path part
/// (<see cref="PathLimits.NameMax"/> bytes); a longer one passed validation and then failed the run with a
/// PathTooLongException. The other part exprun names, the trial folder, is a slug of at most 60 characters, the seed
/// and an 8-digit hash (TrialSpec.MakeId): at most 91 bytes whatever the experiment holds.
/// </summary>
public sealed class NameFitsFileSystem : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["name"];

    public void Check(RuleContext c)
    {
        var name = c.Spec.Name;
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > PathLimits.NameMax)
            c.Error("name", $"{PathLimits.Quote(name)} is too long: it names the results folder, and a folder name may have at most {PathLimits.NameMax} characters; use a shorter name");
    }
}
