using System.Numerics;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// A workerpool's offer of compute, PoCo's <c>WorkerpoolOrder</c>. Members are in EIP-712 order; byte-array members
/// compare by reference in record equality.
/// </summary>
public sealed record WorkerpoolOrder : SignedOrder<WorkerpoolOrder>
{
    /// <summary><c>WorkerpoolOrder(address workerpool,uint256 workerpoolprice,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address apprestrict,address datasetrestrict,address requesterrestrict,bytes32 salt)</c>.</summary>
    public static TypedDataType Eip712Type { get; } = new("WorkerpoolOrder",
    [
        new("workerpool", "address"),
        new("workerpoolprice", "uint256"),
        new("volume", "uint256"),
        new("tag", "bytes32"),
        new("category", "uint256"),
        new("trust", "uint256"),
        new("apprestrict", "address"),
        new("datasetrestrict", "address"),
        new("requesterrestrict", "address"),
        new("salt", "bytes32"),
    ]);

    /// <summary>The workerpool contract.</summary>
    public required EthAddress Workerpool { get; init; }

    /// <summary>Price per task in nRLC.</summary>
    public BigInteger WorkerpoolPrice { get; init; }

    /// <summary>How many tasks the order may be used for.</summary>
    public required BigInteger Volume { get; init; }

    /// <summary>The 32-byte tag (capabilities the pool offers); all zeros by default.</summary>
    public byte[] Tag { get; init; } = new byte[32];

    /// <summary>The PoCo category (maximum run time class).</summary>
    public BigInteger Category { get; init; }

    /// <summary>The replication trust level; 0 for none.</summary>
    public BigInteger Trust { get; init; }

    /// <summary>Only this app may run on it; zero for any.</summary>
    public EthAddress AppRestrict { get; init; }

    /// <summary>Only this dataset may be used; zero for any.</summary>
    public EthAddress DatasetRestrict { get; init; }

    /// <summary>Only this requester may use it; zero for anyone.</summary>
    public EthAddress RequesterRestrict { get; init; }

    /// <summary>32 bytes that make the order unique.</summary>
    public required byte[] Salt { get; init; }

    /// <inheritdoc/>
    protected override TypedDataType TypedData => Eip712Type;

    /// <inheritdoc/>
    protected override object?[] Members() =>
        [Workerpool, WorkerpoolPrice, Volume, Tag, Category, Trust, AppRestrict, DatasetRestrict, RequesterRestrict, Salt];
}
