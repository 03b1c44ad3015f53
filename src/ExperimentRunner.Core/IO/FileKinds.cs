using System.Runtime.InteropServices;

namespace ExperimentRunner.Core.IO;

/// <summary>What a path names once symbolic links are followed.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    /// <summary>Exists, but its type could not be read (no permission to look, a loop of links, ...).</summary>
    Unknown,
}

/// <summary>
/// Tells a regular file from a device, a named pipe or a socket. .NET reports /dev/zero and a FIFO as ordinary files
/// of length 0 (dotnet/runtime#85148 proposes an API), and reading them never ends or never starts; so on Linux the
/// type comes from statx(2), whose result layout is the same on every architecture. Elsewhere only files and folders
/// can be told apart.
/// </summary>
public static class FileKinds
{
    public static FileKind Of(string path)
    {
        if (path.Contains('\0')) return FileKind.Missing;
        if (OperatingSystem.IsLinux() && StatxType(path) is { } kind) return kind;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>"a character device (like /dev/zero)": how messages name a kind.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.CharacterDevice => "a character device (like /dev/zero or /dev/null), whose reads never end or return nothing",
        FileKind.BlockDevice => "a block device (a disk)",
        FileKind.Fifo => "a named pipe (FIFO), whose reads wait for a writer",
        FileKind.Socket => "a socket",
        FileKind.Unknown => "something whose type cannot be read",
        _ => "missing",
    };

    private const int AtFdCwd = -100;
    private const uint StatxTypeMask = 0x1;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    private static FileKind? StatxType(string path)
    {
        var buffer = new byte[256];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxTypeMask, buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // a libc without statx (older than glibc 2.28): fall back to what .NET can see
        }
        if (result != 0)
            return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR ? FileKind.Missing : FileKind.Unknown;
        return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
