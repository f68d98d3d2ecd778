using System.IO.Compression;

namespace IExecSecrets.Core.Tests.Net;

/// <summary>The completed task and the result archives the download, link and attack tests feed the downloader.</summary>
internal static class ResultArchives
{
    /// <summary>A completed task whose IPFS result lies at <paramref name="location"/>; its id is 32 bytes of <paramref name="idFill"/>.</summary>
    public static TaskInfo Task(string location, char idFill = 'a') => new()
    {
        TaskId = "0x" + new string(idFill, 64),
        Status = PoCoTaskStatus.Completed,
        ResultStorage = "ipfs",
        ResultLocation = location,
    };

    /// <summary>
    /// A zip of entries of zeros of the given sizes: deflate shrinks them about a thousand times, which is what a zip
    /// bomb relies on.
    /// </summary>
    public static byte[] Zeros(params (string Name, long Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                for (long written = 0; written < bytes; written += zeros.Length)
                {
                    stream.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
                }
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A zip of text entries.</summary>
    public static byte[] Texts(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }
        return buffer.ToArray();
    }
}
