using System.IO.Compression;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Results;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// The checks a result archive passes before it is expanded or handed over as a plaintext: entry count, entry types
/// (no links or special files), declared and real sizes against the caps of <see cref="ResultDownloadOptions"/>, and
/// each entry's real CRC-32 against the one its directory states.
/// </summary>
internal static class ArchiveCheck
{
    // Unix file type bits of a zip entry made on Unix (upper 16 bits of the external attributes): 0 when not recorded.
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegularFile = 0x8000;
    private const int UnixDirectory = 0x4000;

    /// <summary>Inflates every entry of <paramref name="zipPath"/> without writing it anywhere, checking everything above.</summary>
    public static void Verify(string zipPath, ResultDownloadOptions options, object target)
    {
        var archiveBytes = new FileInfo(zipPath).Length;
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            CheckDirectory(archive, archiveBytes, options, target);
            long written = 0;
            var buffer = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                if (IsFolder(entry)) continue;
                using var source = entry.Open();
                var crc = new Crc32();
                long entryBytes = 0;
                int read;
                while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    entryBytes += read;
                    written += read;
                    if (entryBytes > options.MaxEntryBytes) throw EntryTooLarge(entry.FullName, options, target);
                    CheckTotals(written, archiveBytes, options, target);
                    crc.Append(buffer.AsSpan(0, read));
                }
                CheckCrc(entry, crc, target, ErrorIds.ResultDecryptionFailed);
            }
        }
        catch (InvalidDataException e)
        {
            throw new IExecException(ErrorIds.ResultDecryptionFailed,
                $"The decrypted result is not a sound zip archive ({e.Message}): the encrypted archive was changed or damaged; nothing was written.", target, e);
        }
    }

    /// <summary>The count, type and declared-size checks, made before a byte is inflated.</summary>
    public static void CheckDirectory(ZipArchive archive, long archiveBytes, ResultDownloadOptions options, object target)
    {
        if (archive.Entries.Count > options.MaxEntries)
        {
            throw new IExecException(ErrorIds.ResultArchiveTooManyEntries,
                $"The result archive holds {archive.Entries.Count} entries, more than {options.MaxEntries}; it was not expanded", target);
        }
        long declared = 0;
        foreach (var entry in archive.Entries)
        {
            // A symbolic link entry (or a device, fifo, socket) is never a result file: writing its target text as a
            // file is harmless here, but an extractor that honours it would write anywhere.
            var type = (entry.ExternalAttributes >> 16) & UnixTypeMask;
            if (type is not (0 or UnixRegularFile or UnixDirectory))
            {
                throw new IExecException(ErrorIds.ResultArchiveLinkEntry,
                    $"The result archive entry '{entry.FullName}' is a {(type == 0xA000 ? "symbolic link" : "special file")}, not a file or folder; the archive was not expanded", target);
            }
            if (entry.Length > options.MaxEntryBytes) throw EntryTooLarge(entry.FullName, options, target);
            declared += entry.Length;
            CheckTotals(declared, archiveBytes, options, target);
        }
    }

    /// <summary>True for a folder entry (its name ends with a separator).</summary>
    public static bool IsFolder(ZipArchiveEntry entry) => entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');

    /// <summary>Fails with <paramref name="errorId"/> when the bytes inflated for <paramref name="entry"/> do not have the CRC-32 its directory states.</summary>
    public static void CheckCrc(ZipArchiveEntry entry, Crc32 crc, object target, string errorId)
    {
        if (crc.Value != entry.Crc32)
        {
            throw new IExecException(errorId,
                $"The result archive entry '{entry.FullName}' does not match its CRC-32: the archive was changed or damaged; nothing was written.", target);
        }
    }

    public static void CheckTotals(long expanded, long archiveBytes, ResultDownloadOptions options, object target)
    {
        if (expanded > options.MaxExpandedBytes)
        {
            throw new IExecException(ErrorIds.ResultArchiveTooLarge,
                $"The result archive expands to more than {Mib(options.MaxExpandedBytes)}; it was not expanded", target);
        }
        if (expanded > options.RatioFloorBytes && expanded > options.MaxExpansionRatio * Math.Max(archiveBytes, 1))
        {
            throw new IExecException(ErrorIds.ResultArchiveRatioTooHigh,
                $"The result archive ({archiveBytes} bytes) expands more than {options.MaxExpansionRatio:0.##} times its size (a zip bomb?); it was not expanded", target);
        }
    }

    public static IExecException EntryTooLarge(string name, ResultDownloadOptions options, object target) =>
        new(ErrorIds.ResultArchiveEntryTooLarge,
            $"The result archive entry '{name}' expands to more than {Mib(options.MaxEntryBytes)}; the archive was not expanded", target);

    public static string Mib(long bytes) => bytes >= 1 << 20 ? $"{bytes / (1 << 20)} MiB" : $"{bytes} bytes";
}
