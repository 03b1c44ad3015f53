using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config.Extends;

/// <summary>An experiment file with its bases merged in and <c>extends</c> gone, and the files read (the experiment file first).</summary>
public sealed record MergedFile(RawMapping Tree, IReadOnlyList<string> Sources);

/// <summary>
/// Resolves <c>extends</c>. A base is a path relative to the file naming it; a list applies in order; a base's own
/// bases come before it. The files are put in that order (each once: two bases sharing a third apply it once, at
/// its first place, so the second cannot undo what the first changed in it) with the experiment file last, and laid
/// one over the next with <see cref="RawMerge"/>. Every value keeps the mark of the file it was written in, so a
/// problem in a base is reported with the base's name and line. Bases are named relative to the experiment file's
/// name as given (<c>configs/child.yaml</c> extending <c>../bases/b.yaml</c> shows <c>bases/b.yaml</c>), so every
/// name in a message opens from the same folder.
/// </summary>
public sealed class BaseFiles(Catalogs catalogs)
{
    public const string Key = "extends";

    private readonly RawMerge _merge = new(catalogs);
    private readonly BasePaths _paths = new(catalogs);

    /// <param name="directory">The experiment file's folder: relative paths in it (and rebased ones of its bases) start there.</param>
    /// <returns>null when a base could not be read; the problems say why.</returns>
    public MergedFile? Merge(RawMapping root, string source, string directory, ProblemBag problems)
    {
        if (root.Find(Key) is null) return new MergedFile(root, [source]);
        // No folder (text loaded from memory) means the working directory, as for data paths (DataPaths.Resolve).
        var folder = Path.GetFullPath(directory.Length == 0 ? "." : directory);
        var file = new FileRef(source, Path.Combine(folder, Path.GetFileName(source)));
        var resolution = new Resolution(this, folder, Path.GetDirectoryName(source) ?? "", problems);
        resolution.Visit(root, file, [file]);
        if (problems.HasErrors) return null;
        var layers = resolution.Order;
        var tree = layers.Skip(1).Aggregate(layers[0], _merge.Over);
        return new MergedFile(tree, resolution.Sources);
    }

    private sealed record FileRef(string Display, string Full)
    {
        public string Directory => Path.GetDirectoryName(Full)!;
    }

    /// <summary>One experiment file's bases: the files read so far, in the order they apply.</summary>
    private sealed class Resolution(BaseFiles owner, string rootDirectory, string sourceDirectory, ProblemBag problems)
    {
        private readonly HashSet<string> _visited = new(BasePaths.PathComparer);

        /// <summary>Each file's own keys (extends removed, data paths rebased), bases before the files naming them.</summary>
        public List<RawMapping> Order { get; } = [];

        /// <summary>Display names of the files read, the experiment file first (problems are listed in this order).</summary>
        public List<string> Sources { get; } = [];

        public void Visit(RawMapping tree, FileRef file, IReadOnlyList<FileRef> chain)
        {
            _visited.Add(file.Full);
            Sources.Add(file.Display);
            var entry = tree.Find(Key);
            foreach (var (written, path) in entry is null ? [] : References(entry.Value))
            {
                if (Read(written, path, file, chain) is { } found) Visit(found.Tree, found.File, [.. chain, found.File]);
            }
            Order.Add(owner._paths.Rebase(entry is null ? tree : tree.Without(Key), file.Directory, rootDirectory));
        }

        /// <summary>The paths an <c>extends</c> value names, each with its key path for messages.</summary>
        private List<(RawScalar Written, string Path)> References(RawNode value)
        {
            var found = new List<(RawScalar, string)>();
            void Add(RawNode node, string path)
            {
                if (node is not RawScalar { IsNull: false } s)
                    problems.Error(node.Mark, path, $"expected a file path, got {Binder.Describe(node)}");
                else if (s.Value.Trim().Length == 0)
                    problems.Error(s.Mark, path, "is empty; give the base file's path, relative to this file");
                else found.Add((s, path));
            }
            switch (value)
            {
                case RawScalar { IsNull: true }:
                    break;
                case RawScalar s:
                    Add(s, Key);
                    break;
                case RawSequence list:
                    for (var i = 0; i < list.Items.Count; i++) Add(list.Items[i], $"{Key}[{i}]");
                    break;
                default:
                    problems.Error(value.Mark, Key, $"expected a file path or a list of paths (extends: base.yaml, or extends: [data.yaml, model.yaml]), got {Binder.Describe(value)}");
                    break;
            }
            return found;
        }

        /// <summary>One base as written; null when it cannot be used (a problem naming the chain says why) or was applied already.</summary>
        private (FileRef File, RawMapping Tree)? Read(RawScalar written, string path, FileRef includer, IReadOnlyList<FileRef> chain)
        {
            var full = Path.GetFullPath(Path.Combine(includer.Directory, written.Value));
            var file = new FileRef(Display(full), full);
            var names = string.Join(" -> ", chain.Append(file).Select(f => f.Display));
            (FileRef, RawMapping)? Fail(string message)
            {
                problems.Error(written.Mark, path, $"{message}; chain: {names}");
                return null;
            }
            if (chain.Any(f => BasePaths.PathComparer.Equals(f.Full, full)))
            {
                problems.Error(written.Mark, path, $"'{written.Value}' closes a cycle: {names}; a file cannot extend itself, directly or through its bases");
                return null;
            }
            if (_visited.Contains(full)) return null;
            var ext = Path.GetExtension(full).ToLowerInvariant();
            if (Directory.Exists(full)) return Fail($"'{written.Value}' is a folder ({full}); extends names experiment files (.yaml, .yml or .json)");
            if (ext is not (".yaml" or ".yml" or ".json"))
                return Fail($"'{written.Value}' {(ext.Length == 0 ? "has no extension" : $"has the extension '{ext}'")}; extends names experiment files (.yaml, .yml or .json)");
            if (!File.Exists(full)) return Fail($"'{written.Value}' not found: {full} (a path in extends is relative to the folder of the file it is written in)");
            // Read as the experiment file itself is: a regular file (a FIFO would block, /dev/zero never end), bounded, strict UTF-8.
            var read = new ProblemBag();
            if (ExperimentFile.ReadText(full, read, file.Display) is not { } text)
            {
                foreach (var problem in read.Items)
                {
                    // A bad byte is shown where it is in the base; anything else at the extends entry that names it.
                    if (problem.Mark.Line > 0) problems.Error(problem.Mark, problem.Path, $"{problem.Message}; chain: {names}");
                    else Fail($"'{written.Value}' {problem.Message}");
                }
                return null;
            }
            // The reader would call an empty file an experiment missing name, dataset, model and loss; a base needs none of them.
            if (text.Trim().Length == 0) return Fail($"'{written.Value}' is empty; a base holds keys of an experiment file (any of them)");
            var raw = RawTreeReader.Read(text, file.Display, problems);
            if (raw is null) return null;
            if (raw is not RawMapping map)
            {
                problems.Error(raw.Mark, "", $"a base file is a mapping of experiment keys (dataset, model, ...), got {Binder.Describe(raw)}; chain: {names}");
                return null;
            }
            return (file, map);
        }

        /// <summary>A base's name as messages show it: from the folder the experiment file was named from.</summary>
        private string Display(string full)
        {
            var relative = Path.GetRelativePath(rootDirectory, full);
            return Path.IsPathRooted(relative) ? relative : Normalize(Path.Combine(sourceDirectory, relative));
        }

        /// <summary>Removes <c>.</c> and <c>dir/..</c> without touching the disk (<c>configs/../bases/b.yaml</c> is <c>bases/b.yaml</c>).</summary>
        private static string Normalize(string path)
        {
            if (Path.IsPathRooted(path)) return Path.GetFullPath(path);
            var parts = new List<string>();
            foreach (var part in path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
            {
                if (part is "" or ".") continue;
                if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else parts.Add(part);
            }
            return string.Join(Path.DirectorySeparatorChar, parts);
        }
    }
}
