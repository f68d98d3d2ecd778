using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Datasets;

/// <summary>
/// A dataset ready for <c>DatasetRegistry.createDataset</c>, validated and encoded as SDK 8.24's <c>datasetSchema</c>
/// does: checksummed owner, non-empty name, multiaddr bytes (<see cref="MultiaddrCodec"/>: an <c>/ipfs/Qm…</c> path as
/// binary multiaddr, a URL as its UTF-8 bytes) and a bytes32 checksum. Invalid input throws
/// <see cref="ErrorIds.InvalidDatasetDefinition"/> with the SDK's message.
/// </summary>
public sealed class DatasetDescriptor
{
    private DatasetDescriptor(EthAddress owner, string name, string multiaddr, byte[] checksum)
    {
        Owner = owner;
        Name = name;
        MultiaddrText = multiaddr;
        Checksum = checksum;
    }

    /// <summary>The dataset owner (receives the dataset NFT, signs its orders, pushes its key).</summary>
    public EthAddress Owner { get; }

    /// <summary>The dataset name.</summary>
    public string Name { get; }

    /// <summary>The multiaddr as written: where workers download the encrypted file (an https URL or an IPFS path).</summary>
    public string MultiaddrText { get; }

    /// <summary>The multiaddr bytes sent on chain.</summary>
    public byte[] Multiaddr => MultiaddrCodec.Encode(MultiaddrText);

    /// <summary>The 32-byte checksum: the SHA-256 of the encrypted file, which workers check before decrypting.</summary>
    public byte[] Checksum { get; }

    /// <summary>The <c>createDataset</c>/<c>predictDataset</c> arguments.</summary>
    public DatasetDefinition ToDefinition() => new(Owner, Name, Multiaddr, (byte[])Checksum.Clone());

    /// <summary>Validates and encodes an <c>iexec.json</c> <c>dataset</c> object.</summary>
    public static DatasetDescriptor FromJson(JsonObject dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Create(Text(dataset, "owner"), Text(dataset, "name"), Text(dataset, "multiaddr"), Text(dataset, "checksum"));
    }

    /// <summary>Validates and encodes a dataset given field by field.</summary>
    public static DatasetDescriptor Create(string? owner, string? name, string? multiaddr, string? checksum)
    {
        if (string.IsNullOrEmpty(owner)) throw Invalid("owner is a required field", "owner");
        if (!EthAddress.TryParse(owner, out var ownerAddress)) throw Invalid($"{owner} is not a valid ethereum address", owner);
        if (string.IsNullOrEmpty(name)) throw Invalid("name is a required field", "name");
        if (string.IsNullOrEmpty(multiaddr)) throw Invalid("multiaddr is a required field", "multiaddr");
        if (string.IsNullOrEmpty(checksum)) throw Invalid("checksum is a required field", "checksum");
        if (!Hex.IsHex(checksum, 32)) throw Invalid($"{checksum} is not a bytes32 hexstring", checksum);
        return new DatasetDescriptor(ownerAddress, name, multiaddr, Hex.Decode(checksum));
    }

    private static string? Text(JsonObject dataset, string key) => dataset[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var other => throw Invalid($"{other.ToJsonString()} is not a valid {key}", key),
    };

    private static IExecException Invalid(string message, string target) =>
        new(ErrorIds.InvalidDatasetDefinition, message, target);
}
