using System.Numerics;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// A dataset owner's offer, PoCo's <c>DatasetOrder</c>. Runs without a dataset pass <see cref="Null"/>. Members are
/// in EIP-712 order; byte-array members compare by reference in record equality.
/// </summary>
public sealed record DatasetOrder : SignedOrder<DatasetOrder>
{
    /// <summary><c>DatasetOrder(address dataset,uint256 datasetprice,uint256 volume,bytes32 tag,address apprestrict,address workerpoolrestrict,address requesterrestrict,bytes32 salt)</c>.</summary>
    public static TypedDataType Eip712Type { get; } = new("DatasetOrder",
    [
        new("dataset", "address"),
        new("datasetprice", "uint256"),
        new("volume", "uint256"),
        new("tag", "bytes32"),
        new("apprestrict", "address"),
        new("workerpoolrestrict", "address"),
        new("requesterrestrict", "address"),
        new("salt", "bytes32"),
    ]);

    /// <summary>
    /// The SDK's null dataset order (a new instance each time): every address zero, price and volume 0, zero tag and
    /// salt, and <see cref="SignedOrder{TOrder}.Sign"/> = <c>0x</c> (empty bytes in <c>matchOrders</c>).
    /// </summary>
    public static DatasetOrder Null => new() { Dataset = EthAddress.Zero, Volume = BigInteger.Zero, Salt = new byte[32] };

    /// <summary>The dataset contract.</summary>
    public required EthAddress Dataset { get; init; }

    /// <summary>Price per task in nRLC.</summary>
    public BigInteger DatasetPrice { get; init; }

    /// <summary>How many tasks the order may be used for.</summary>
    public required BigInteger Volume { get; init; }

    /// <summary>The 32-byte tag; all zeros by default.</summary>
    public byte[] Tag { get; init; } = new byte[32];

    /// <summary>Only this app may use the dataset; zero for any.</summary>
    public EthAddress AppRestrict { get; init; }

    /// <summary>Only this workerpool may run it; zero for any.</summary>
    public EthAddress WorkerpoolRestrict { get; init; }

    /// <summary>Only this requester may use it; zero for anyone.</summary>
    public EthAddress RequesterRestrict { get; init; }

    /// <summary>32 bytes that make the order unique.</summary>
    public required byte[] Salt { get; init; }

    /// <inheritdoc/>
    protected override TypedDataType TypedData => Eip712Type;

    /// <inheritdoc/>
    protected override object?[] Members() =>
        [Dataset, DatasetPrice, Volume, Tag, AppRestrict, WorkerpoolRestrict, RequesterRestrict, Salt];
}
