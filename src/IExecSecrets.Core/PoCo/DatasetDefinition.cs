using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// The arguments of <c>DatasetRegistry.createDataset</c>: owner, name, multiaddr bytes (UTF-8 of a URL, or binary
/// multiaddr for an IPFS path) and the 32-byte checksum of the (encrypted) dataset file. The same arguments always
/// predict the same dataset address.
/// </summary>
public sealed record DatasetDefinition(EthAddress Owner, string Name, byte[] Multiaddr, byte[] Checksum)
{
    /// <summary>Throws <see cref="ErrorIds.InvalidDatasetDefinition"/> when a field cannot be deployed (before any network call).</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name)) throw Invalid("The dataset name is empty.", nameof(Name));
        if (Multiaddr is null || Multiaddr.Length == 0) throw Invalid("The dataset multiaddr is empty.", nameof(Multiaddr));
        if (Checksum is null || Checksum.Length != 32) throw Invalid("The dataset checksum must be 32 bytes.", nameof(Checksum));
    }

    /// <summary>The ABI values in createDataset/predictDataset parameter order.</summary>
    internal object?[] ToAbiValues() => [Owner, Name, Multiaddr, Checksum];

    private static IExecException Invalid(string message, string field) =>
        new(ErrorIds.InvalidDatasetDefinition, message, field);
}
