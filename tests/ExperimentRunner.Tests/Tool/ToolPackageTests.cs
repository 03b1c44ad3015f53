using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Tests.Tool;

/// <summary>
/// The README's install path, end to end: <c>dotnet pack</c> the CLI into a tool package, <c>dotnet tool install</c> it
/// into a tool path from that folder alone (a NuGet.Config listing only it, so no feed is asked), and run the README
/// quickstart with the installed <c>exprun</c> from an empty folder. On Debian 12 the quickstart only trains if the
/// package carries the patched libLibTorchSharp.so and the libstdc++ shim (build/TorchSharpNativeFix.targets), so the
/// package and the tool's store are checked for them too. Everything (build output, package, tool path, scratch
/// folders of the SDK) lives in one temporary folder.
/// </summary>
[Collection(ToolPackageCollection.Name)]
public sealed partial class ToolPackageTests : IDisposable
{
    private const string NativeDir = "tools/net10.0/any/runtimes/linux-x64/native/";
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Packed_tool_installs_from_a_local_folder_and_runs_the_quickstart()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the package's native fix and this test's checks of it are for Linux");
        var packages = _temp.Combine("packages");
        var scratch = _temp.Combine("tmp");

        // Pack: a build of its own under the temporary folder, so the checkout's bin/ and obj/ are not touched.
        var pack = ToolProcess.Run(ToolProcess.Dotnet,
            ["pack", Path.Combine(Repository.Root, "src", "ExperimentRunner.Cli"), "-c", "Release", "-o", packages,
             "--artifacts-path", _temp.Combine("artifacts"), "--disable-build-servers"],
            Repository.Root, scratch, TimeSpan.FromMinutes(8));
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed: {pack}");
        var package = Assert.Single(Directory.GetFiles(packages, "*.nupkg"));
        var version = PackageName().Match(Path.GetFileName(package)) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"unexpected package name {package}");

        byte[] packedLibrary;
        // The Release build the pack made precompiled the app's assemblies in its output (build/ReadyToRun.targets),
        // and left the package's, made by the publish pipeline, as IL.
        var buildOutput = _temp.Combine("artifacts", "bin", "ExperimentRunner.Cli", "release");
        using (var zip = ZipFile.OpenRead(package))
        {
            var settings = ReadEntry(zip, "tools/net10.0/any/DotnetToolSettings.xml");
            Assert.Contains("<Command Name=\"exprun\" EntryPoint=\"exprun.dll\" Runner=\"dotnet\" />", System.Text.Encoding.UTF8.GetString(settings));
            Assert.NotNull(zip.GetEntry("tools/net10.0/any/exprun.dll"));
            foreach (var native in new[] { "libLibTorchSharp.so", "libtorch_cpu.so", "libc10.so", "libexprun_glibcxx_shim.so" })
                Assert.True(zip.GetEntry(NativeDir + native) is not null, $"{NativeDir}{native} is not in {package}");
            packedLibrary = ReadEntry(zip, NativeDir + "libLibTorchSharp.so");
            foreach (var assembly in new[] { "exprun.dll", "ExperimentRunner.Torch.dll", "TorchSharp.dll", "YamlDotNet.dll" })
            {
                Assert.True(IsReadyToRun(File.ReadAllBytes(Path.Combine(buildOutput, assembly))), $"{assembly} in {buildOutput} is not a ReadyToRun image");
                Assert.False(IsReadyToRun(ReadEntry(zip, "tools/net10.0/any/" + assembly)), $"{assembly} in the package is a ReadyToRun image");
            }
        }

        // The packed copy is the patched one: the same file as TorchSharp's but for the weakened version flag.
        var original = File.ReadAllBytes(TorchSharpOriginal());
        Assert.Equal(original.Length, packedLibrary.Length);
        var changed = Enumerable.Range(0, original.Length).Count(i => original[i] != packedLibrary[i]);
        Assert.InRange(changed, 1, 2);

        // Install from the folder alone.
        var config = _temp.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="exprun-local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var toolPath = _temp.Combine("tools");
        var install = ToolProcess.Run(ToolProcess.Dotnet,
            ["tool", "install", "--tool-path", toolPath, "--configfile", config, "exprun", "--version", version],
            _temp.Path, scratch, TimeSpan.FromMinutes(3));
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed: {install}");
        Assert.Contains($"Tool 'exprun' (version '{version}') was successfully installed.", install.Out);

        var storeNative = Path.Combine(toolPath, ".store", "exprun", version, "exprun", version, NativeDir);
        Assert.Equal(packedLibrary, File.ReadAllBytes(Path.Combine(storeNative, "libLibTorchSharp.so")));
        Assert.True(File.Exists(Path.Combine(storeNative, "libexprun_glibcxx_shim.so")));
        Assert.True(File.Exists(Path.Combine(storeNative, "libtorch_cpu.so")));

        // The README quickstart, in a folder that holds nothing but the config.
        var work = _temp.Combine("work");
        Directory.CreateDirectory(Path.Combine(work, "configs"));
        File.Copy(Path.Combine(Repository.Root, "configs", "quickstart.yaml"), Path.Combine(work, "configs", "quickstart.yaml"));
        var run = ToolProcess.Run(Path.Combine(toolPath, "exprun"), ["run", "configs/quickstart.yaml"], work, scratch, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, $"the installed exprun failed: {run}");
        var experiment = Path.Combine(work, "results", "quickstart");
        Assert.Contains($"1 trial in {experiment}", run.Out);

        var (header, rows) = CsvText.Read(Path.Combine(experiment, SummaryCsv.FileName));
        var summary = Assert.Single(rows);
        string Cell(string column) => summary[header.ToList().IndexOf(column)];
        Assert.Contains(Cell("status"), new[] { "completed", "early_stopped" });
        var epochs = int.Parse(Cell("epochs"), CultureInfo.InvariantCulture);
        Assert.InRange(epochs, 11, 40);
        Assert.InRange(double.Parse(Cell("test_accuracy"), CultureInfo.InvariantCulture), 0.9, 1.0);
        Assert.InRange(double.Parse(Cell("test_loss"), CultureInfo.InvariantCulture), 0.0, 0.3);

        var trial = Path.Combine(experiment, "trials", Cell("trial"));
        var (metricsHeader, epochRows) = CsvText.Read(Path.Combine(trial, "metrics.csv"));
        Assert.Equal(epochs, epochRows.Count);
        var valLoss = epochRows.Select(r => double.Parse(r[metricsHeader.ToList().IndexOf("val_loss")], CultureInfo.InvariantCulture)).ToList();
        Assert.All(valLoss, v => Assert.True(double.IsFinite(v) && v > 0, $"val_loss {v}"));
        Assert.True(valLoss.Min() < valLoss[0] / 5, $"val_loss did not fall: {string.Join(", ", valLoss)}");

        using var runJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(trial, "run.json")));
        Assert.Equal("2.10.0.0", runJson.RootElement.GetProperty("versions").GetProperty("libtorch").GetString());
        Assert.Equal(version, runJson.RootElement.GetProperty("versions").GetProperty("exprun").GetString());
    }

    /// <summary>A ReadyToRun image is a managed assembly whose CLI header points at precompiled native code.</summary>
    private static bool IsReadyToRun(byte[] assembly)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(assembly));
        return pe.PEHeaders.CorHeader is { } cor && cor.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"{name} is not in the package");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>libLibTorchSharp.so as TorchSharp ships it, in the NuGet packages folder the build restored from.</summary>
    private static string TorchSharpOriginal()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        return Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [GeneratedRegex(@"^exprun\.(.+)\.nupkg$")]
    private static partial Regex PackageName();

    public void Dispose() => _temp.Dispose();
}
