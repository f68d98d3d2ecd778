using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// The arguments of <c>AppRegistry.createApp</c>: owner, name, type ("DOCKER"), multiaddr bytes (UTF-8 of a docker
/// image reference, or binary multiaddr), 32-byte checksum, and MREnclave bytes (UTF-8 JSON of the enclave
/// description, empty for none). The same arguments always predict the same app address.
/// </summary>
public sealed record AppDefinition(EthAddress Owner, string Name, string Type, byte[] Multiaddr, byte[] Checksum, byte[] MrEnclave)
{
    /// <summary>Throws <see cref="ErrorIds.InvalidAppDefinition"/> when a field cannot be deployed (before any network call).</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name)) throw Invalid("The app name is empty.", nameof(Name));
        if (Type != "DOCKER") throw Invalid($"'{Type}' is not a valid app type; only DOCKER is.", nameof(Type));
        if (Multiaddr is null || Multiaddr.Length == 0) throw Invalid("The app multiaddr is empty.", nameof(Multiaddr));
        if (Checksum is null || Checksum.Length != 32) throw Invalid("The app checksum must be 32 bytes.", nameof(Checksum));
        if (MrEnclave is null) throw Invalid("MrEnclave must be bytes (empty for none).", nameof(MrEnclave));
    }

    /// <summary>The ABI values in createApp/predictApp parameter order.</summary>
    internal object?[] ToAbiValues() => [Owner, Name, Type, Multiaddr, Checksum, MrEnclave];

    private static IExecException Invalid(string message, string field) =>
        new(ErrorIds.InvalidAppDefinition, message, field);
}
