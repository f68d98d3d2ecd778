using IExecSecrets.Core.Datasets;

namespace IExecSecrets.Output;

/// <summary>
/// An iExec dataset: what <c>Deploy-IExecDataset</c> deployed (with <see cref="TxHash"/>) or <c>Get-IExecDataset</c> read
/// from the chain. Pipe it to Push-IExecDatasetSecret, Publish-IExecDatasetOrder or Invoke-IExecApp -Dataset by its
/// <see cref="Address"/>.
/// </summary>
public sealed class IExecDataset
{
    /// <summary>The dataset contract address, EIP-55.</summary>
    public required string Address { get; init; }

    /// <summary>The chain the dataset lives on.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The chain name used.</summary>
    public required string Chain { get; init; }

    /// <summary>The dataset owner, EIP-55.</summary>
    public required string Owner { get; init; }

    /// <summary>The dataset name.</summary>
    public required string Name { get; init; }

    /// <summary>Where workers download the encrypted file: a URL, or an IPFS multiaddr.</summary>
    public required string Multiaddr { get; init; }

    /// <summary>The SHA-256 of the encrypted file, 0x-prefixed lower-case hex.</summary>
    public required string Checksum { get; init; }

    /// <summary>The <c>createDataset</c> transaction hash when this object comes from a deployment; null otherwise.</summary>
    public string? TxHash { get; init; }

    /// <summary>True when the dataset was only predicted (<c>-WhatIf</c>), not deployed.</summary>
    public bool IsPrediction { get; init; }

    /// <summary>The output for a dataset described by <paramref name="dataset"/> at <paramref name="address"/>.</summary>
    internal static IExecDataset From(string address, DatasetDescriptor dataset, Core.Config.ChainProfile chain, string? txHash, bool isPrediction) => new()
    {
        Address = address,
        ChainId = chain.ChainId,
        Chain = chain.Name,
        Owner = dataset.Owner.ToString(),
        Name = dataset.Name,
        Multiaddr = dataset.MultiaddrText,
        Checksum = DatasetEncryption.ChecksumText(dataset.Checksum),
        TxHash = txHash,
        IsPrediction = isPrediction,
    };

    /// <summary>The output for a dataset read from the chain (Get-IExecDataset).</summary>
    internal static IExecDataset From(DatasetInfo dataset, string chainName) => new()
    {
        Address = dataset.Address.ToString(),
        ChainId = dataset.ChainId,
        Chain = chainName,
        Owner = dataset.Owner.ToString(),
        Name = dataset.Name,
        Multiaddr = dataset.Multiaddr,
        Checksum = dataset.Checksum,
    };

    /// <summary>The dataset address.</summary>
    public override string ToString() => Address;
}
