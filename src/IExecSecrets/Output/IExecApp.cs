using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Config;

namespace IExecSecrets.Output;

/// <summary>
/// An iExec app: what <c>Deploy-IExecApp</c> deployed (with <see cref="TxHash"/>) or <c>Get-IExecApp</c> read from
/// the chain. Pipe it to the app secret cmdlets by its <see cref="Address"/>.
/// </summary>
public sealed class IExecApp
{
    /// <summary>The app contract address, EIP-55.</summary>
    public required string Address { get; init; }

    /// <summary>The chain the app lives on.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The chain name used.</summary>
    public required string Chain { get; init; }

    /// <summary>The app owner, EIP-55.</summary>
    public required string Owner { get; init; }

    /// <summary>The app name.</summary>
    public required string Name { get; init; }

    /// <summary>The app type (<c>DOCKER</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The docker image reference, or the IPFS multiaddr.</summary>
    public required string Multiaddr { get; init; }

    /// <summary>The 32-byte checksum (docker image digest), <c>0x</c>-prefixed lower-case hex.</summary>
    public required string Checksum { get; init; }

    /// <summary>
    /// The mrenclave: the text the app holds, with its JSON fields (Framework, Version, Entrypoint, HeapSize,
    /// Fingerprint) as properties for SCONE and Gramine apps; null when the app has none (TDX and non-TEE apps).
    /// </summary>
    public IExecMrEnclave? MrEnclave { get; init; }

    /// <summary>The TEE framework the mrenclave declares (<c>scone</c>, <c>gramine</c>, <c>tdx</c>), or null.</summary>
    public string? Framework { get; init; }

    /// <summary>The <c>createApp</c> transaction hash when this object comes from a deployment; null otherwise.</summary>
    public string? TxHash { get; init; }

    /// <summary>True when the app was only predicted (<c>-WhatIf</c>), not deployed.</summary>
    public bool IsPrediction { get; init; }

    /// <summary>The output for an app described by <paramref name="app"/> at <paramref name="address"/> (Deploy-IExecApp).</summary>
    internal static IExecApp From(string address, AppDescriptor app, ChainProfile chain, string? txHash, bool isPrediction) => new()
    {
        Address = address,
        ChainId = chain.ChainId,
        Chain = chain.Name,
        Owner = app.Owner.ToString(),
        Name = app.Name,
        Type = app.Type,
        Multiaddr = app.MultiaddrText,
        Checksum = Core.Crypto.Hex.Encode(app.Checksum),
        MrEnclave = IExecMrEnclave.Parse(app.MrEnclaveText),
        Framework = app.Framework?.ToWireName(),
        TxHash = txHash,
        IsPrediction = isPrediction,
    };

    /// <summary>The output for an app read from <paramref name="chain"/>.</summary>
    internal static IExecApp From(AppInfo app, string chain, string? txHash = null) => new()
    {
        Address = app.Address.ToString(),
        ChainId = app.ChainId,
        Chain = chain,
        Owner = app.Owner.ToString(),
        Name = app.Name,
        Type = app.Type,
        Multiaddr = app.Multiaddr,
        Checksum = app.Checksum,
        MrEnclave = IExecMrEnclave.Parse(app.MrEnclave),
        Framework = app.Framework?.ToWireName(),
        TxHash = txHash,
    };

    /// <summary>The app address, so "$app" can be passed wherever an app address is expected.</summary>
    public override string ToString() => Address;
}
