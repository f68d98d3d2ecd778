using System.Numerics;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// An app owner's offer to run an app, PoCo's <c>AppOrder</c>. Members are in EIP-712 order; <see cref="SignedOrder{TOrder}.Sign"/> is
/// <c>0x</c> until <see cref="SignedOrder{TOrder}.SignWith"/> fills it. Byte-array members compare by reference in record equality.
/// </summary>
public sealed record AppOrder : SignedOrder<AppOrder>
{
    /// <summary><c>AppOrder(address app,uint256 appprice,uint256 volume,bytes32 tag,address datasetrestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)</c>.</summary>
    public static TypedDataType Eip712Type { get; } = new("AppOrder",
    [
        new("app", "address"),
        new("appprice", "uint256"),
        new("volume", "uint256"),
        new("tag", "bytes32"),
        new("datasetrestrict", "address"),
        new("workerpoolrestrict", "address"),
        new("requesterrestrict", "address"),
        new("salt", "bytes32"),
    ]);

    /// <summary>The app contract.</summary>
    public required EthAddress App { get; init; }

    /// <summary>Price per task in nRLC.</summary>
    public BigInteger AppPrice { get; init; }

    /// <summary>How many tasks the order may be used for.</summary>
    public required BigInteger Volume { get; init; }

    /// <summary>The 32-byte tag (see <see cref="OrderTag"/>); all zeros by default.</summary>
    public byte[] Tag { get; init; } = new byte[32];

    /// <summary>Only this dataset may be used with the order; zero for any.</summary>
    public EthAddress DatasetRestrict { get; init; }

    /// <summary>Only this workerpool may run it; zero for any.</summary>
    public EthAddress WorkerpoolRestrict { get; init; }

    /// <summary>Only this requester may use it; zero for anyone.</summary>
    public EthAddress RequesterRestrict { get; init; }

    /// <summary>32 bytes that make the order unique (<see cref="OrderSalt.New"/>).</summary>
    public required byte[] Salt { get; init; }

    /// <inheritdoc/>
    protected override TypedDataType TypedData => Eip712Type;

    /// <inheritdoc/>
    protected override object?[] Members() =>
        [App, AppPrice, Volume, Tag, DatasetRestrict, WorkerpoolRestrict, RequesterRestrict, Salt];
}
