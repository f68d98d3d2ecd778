using System.Numerics;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// What to run, as <c>iexec app run</c> takes it: the app, the workerpool (null: any, from the market), an optional
/// dataset, the request tag, category and trust, beneficiary and callback, and the params. Addresses are already
/// resolved (ENS names go through <see cref="Ens.EnsResolver"/> first).
/// </summary>
public sealed record AppRunRequest
{
    /// <summary>The app to run.</summary>
    public required EthAddress App { get; init; }

    /// <summary>The workerpool to run on; null to take the cheapest matching market order of any pool.</summary>
    public EthAddress? Workerpool { get; init; }

    /// <summary>The dataset to use; null for none (the null dataset order).</summary>
    public EthAddress? Dataset { get; init; }

    /// <summary>The request tag (32 bytes, <see cref="Orders.OrderTag"/>).</summary>
    public byte[] Tag { get; init; } = new byte[32];

    /// <summary>The category; null to start the SDK's category loop at 0 (non-strict).</summary>
    public BigInteger? Category { get; init; }

    /// <summary>The trust level; 0 by default.</summary>
    public BigInteger Trust { get; init; }

    /// <summary>Who receives the result; null for the requester.</summary>
    public EthAddress? Beneficiary { get; init; }

    /// <summary>The callback contract; null for none.</summary>
    public EthAddress? Callback { get; init; }

    /// <summary>The params to build (args, secrets, storage, encryption).</summary>
    public RequestParamsBuilder Params { get; init; } = new();

    /// <summary>
    /// The most the requester pays the app owner per task, in nRLC; 0 by default, so a market app order with a price
    /// is refused unless the user raised this. It is the request order's <c>appmaxprice</c>.
    /// </summary>
    public BigInteger AppMaxPrice { get; init; }

    /// <summary>The most the requester pays the dataset owner per task, in nRLC (0 by default); the request order's <c>datasetmaxprice</c>.</summary>
    public BigInteger DatasetMaxPrice { get; init; }

    /// <summary>The most the requester pays the workerpool per task, in nRLC (0 by default); the request order's <c>workerpoolmaxprice</c>.</summary>
    public BigInteger WorkerpoolMaxPrice { get; init; }

    /// <summary>True to skip the app and SMS requirement checks (the CLI's <c>--skip-preflight-check</c>).</summary>
    public bool SkipPreflight { get; init; }

    /// <summary>True when the tee bit (bit 0) of <see cref="Tag"/> is set.</summary>
    public bool IsTee => Tag.Length == 32 && (Tag[31] & 1) != 0;
}
