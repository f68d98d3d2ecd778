using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// One entry (an app or a dataset) to create in a PoCo registry, with everything the shared deploy-and-prove steps of
/// <see cref="RegistryEntryDeployment"/> need: the registry, the owner, the initializer PoCo's <c>Registry._mintCreate</c>
/// hashes into the CREATE2 salt, the predict and create calldata, the gas ceiling, and how to read the created entry
/// back and compare it with what was sent.
/// </summary>
internal sealed record RegistryEntry
{
    /// <summary>"app" or "dataset": the word the messages use.</summary>
    public required string Kind { get; init; }

    /// <summary>The id of "already deployed at that address".</summary>
    public required string AlreadyDeployedId { get; init; }

    /// <summary>The id of "the chain does not show what was sent".</summary>
    public required string UnverifiedId { get; init; }

    /// <summary>The registry contract.</summary>
    public required EthAddress Registry { get; init; }

    /// <summary>The owner the entry is minted to.</summary>
    public required EthAddress Owner { get; init; }

    /// <summary><c>abi.encodeWithSignature("initialize(…)", fields…)</c>, as the registry's <c>encodeInitializer</c>.</summary>
    public required byte[] Initializer { get; init; }

    /// <summary>The <c>predict…</c> call.</summary>
    public required byte[] PredictCalldata { get; init; }

    /// <summary>The <c>create…</c> call.</summary>
    public required byte[] CreateCalldata { get; init; }

    /// <summary>The most gas the create call can need (<see cref="GasCeilings"/>).</summary>
    public required BigInteger GasCeiling { get; init; }

    /// <summary>The transaction label shown in errors.</summary>
    public required string Label { get; init; }

    /// <summary>Reads the created entry at an address and lists how it differs from what was sent (owner included); empty when it matches.</summary>
    public required Func<EthAddress, CancellationToken, Task<IReadOnlyList<string>>> Differences { get; init; }
}

/// <summary>
/// The deploy steps the app and dataset registries share, so a dataset is proven on chain exactly as an app is: the
/// address is computed locally (CREATE2 as PoCo's <c>Registry._mintCreate</c>: salt keccak256(initializer ‖ owner),
/// init-code hash <c>proxyCodeHash()</c>) and must equal the node's prediction; a registered address is refused before
/// any transaction; after the create transaction the receipt's minted address must be the computed one, the registry
/// must know it and the entry's <c>owner()</c> and fields must be what was sent. Any disagreement is the entry's
/// "unverified" error and nothing is recorded.
/// </summary>
internal static class RegistryEntryDeployment
{
    /// <summary>The address <paramref name="initializer"/> for <paramref name="owner"/> gets in <paramref name="registry"/>.</summary>
    public static EthAddress ComputeAddress(EthAddress registry, byte[] proxyCodeHash, byte[] initializer, EthAddress owner)
    {
        var salt = Keccak256.Hash([.. initializer, .. owner.Span]);
        var digest = Keccak256.Hash([0xff, .. registry.Span, .. salt, .. proxyCodeHash]);
        return EthAddress.FromBytes(digest.AsSpan(12));
    }

    /// <summary>The registry's <c>proxyCodeHash()</c>.</summary>
    public static async Task<byte[]> ProxyCodeHashAsync(JsonRpcClient rpc, EthAddress registry, CancellationToken cancellationToken) =>
        (byte[])Abi.Decode("bytes32", await rpc.EthCallAsync(registry, Abi.EncodeCall("proxyCodeHash()"), cancellationToken: cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>The locally computed address, checked against the node's prediction (the entry's unverified error when they differ).</summary>
    public static async Task<EthAddress> ExpectedAddressAsync(JsonRpcClient rpc, RegistryEntry entry, CancellationToken cancellationToken)
    {
        var computed = ComputeAddress(entry.Registry, await ProxyCodeHashAsync(rpc, entry.Registry, cancellationToken).ConfigureAwait(false), entry.Initializer, entry.Owner);
        var answer = await rpc.EthCallAsync(entry.Registry, entry.PredictCalldata, cancellationToken: cancellationToken).ConfigureAwait(false);
        var predicted = (EthAddress)Abi.Decode("address", answer)[0]!;
        var predictName = entry.Kind == "app" ? "predictApp" : "predictDataset";
        return predicted == computed ? computed
            : throw Unverified(entry, $"the registry's {predictName} answers {predicted}, but create{Capital(entry.Kind)} of these fields by {entry.Owner} creates {computed}", predicted);
    }

    /// <summary>Deploys <paramref name="entry"/> through <paramref name="sender"/> and proves it (see the class summary).</summary>
    public static async Task<DeployedContract> CreateAsync(JsonRpcClient rpc, TransactionSender sender, RegistryEntry entry, CancellationToken cancellationToken)
    {
        var expected = await ExpectedAddressAsync(rpc, entry, cancellationToken).ConfigureAwait(false);
        if (await RegistryCalls.IsRegisteredAsync(rpc, entry.Registry, expected, cancellationToken).ConfigureAwait(false))
        {
            throw new IExecException(entry.AlreadyDeployedId,
                $"{Capital(entry.Kind)} already deployed at address {expected}.", expected.ToString());
        }
        var receipt = await sender.SendAsync(new TransactionCall(entry.Registry, entry.CreateCalldata)
        {
            GasCeiling = entry.GasCeiling,
            Label = entry.Label,
        }, cancellationToken).ConfigureAwait(false);
        // The receipt is one answer of one node: the address is taken only once the chain agrees with the computation.
        var minted = RegistryCalls.MintedAddress(receipt, entry.Registry);
        if (minted != expected)
        {
            throw Unverified(entry, $"the receipt of {receipt.TransactionHash} names {entry.Kind} {minted}, but create{Capital(entry.Kind)} of these fields by {entry.Owner} creates {expected}", minted);
        }
        if (!await RegistryCalls.IsRegisteredAsync(rpc, entry.Registry, expected, cancellationToken).ConfigureAwait(false))
        {
            throw Unverified(entry, $"the registry does not know {entry.Kind} {expected} after transaction {receipt.TransactionHash}", expected);
        }
        var differences = await entry.Differences(expected, cancellationToken).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw Unverified(entry, $"{entry.Kind} {expected} on chain is not the one sent in {receipt.TransactionHash}: {string.Join("; ", differences)}", expected);
        }
        return new DeployedContract(expected, receipt.TransactionHash);
    }

    private static IExecException Unverified(RegistryEntry entry, string detail, EthAddress address) =>
        new(entry.UnverifiedId,
            $"The deployment cannot be proven on chain: {detail}. Nothing was recorded.", address.ToString())
        {
            RecommendedAction = $"Use another RPC node and check the {entry.Kind} with Get-IExec{Capital(entry.Kind)}; do not use this address.",
        };

    private static string Capital(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];
}
