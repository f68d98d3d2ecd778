namespace IExecSecrets.Core.Results;

/// <summary>
/// The CRC-32 of zip archives (IEEE 802.3, reflected polynomial 0xEDB88320), computed incrementally. .NET's
/// <c>ZipArchive</c> reports each entry's stored CRC but (on the runtimes PowerShell 7.4 and 7.5 use) does not check it
/// against the bytes it inflates; comparing the two is how a changed byte of a decrypted result is noticed.
/// </summary>
public sealed class Crc32
{
    private static readonly uint[] Table = BuildTable();
    private uint _state = 0xFFFFFFFFu;

    /// <summary>Adds <paramref name="data"/> to the checksum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var state = _state;
        foreach (var b in data) state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
        _state = state;
    }

    /// <summary>The checksum of everything appended so far.</summary>
    public uint Value => _state ^ 0xFFFFFFFFu;

    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Append(data);
        return crc.Value;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
