using System.Numerics;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// A requester's demand to run an app, PoCo's <c>RequestOrder</c>. Members are in EIP-712 order; <see cref="Params"/>
/// enters the hash as keccak256 of its UTF-8 bytes. Byte-array members compare by reference in record equality.
/// </summary>
public sealed record RequestOrder : SignedOrder<RequestOrder>
{
    /// <summary><c>RequestOrder(address app,uint256 appmaxprice,address dataset,uint256 datasetmaxprice,address workerpool,uint256 workerpoolmaxprice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,bytes32 salt)</c>.</summary>
    public static TypedDataType Eip712Type { get; } = new("RequestOrder",
    [
        new("app", "address"),
        new("appmaxprice", "uint256"),
        new("dataset", "address"),
        new("datasetmaxprice", "uint256"),
        new("workerpool", "address"),
        new("workerpoolmaxprice", "uint256"),
        new("requester", "address"),
        new("volume", "uint256"),
        new("tag", "bytes32"),
        new("category", "uint256"),
        new("trust", "uint256"),
        new("beneficiary", "address"),
        new("callback", "address"),
        new("params", "string"),
        new("salt", "bytes32"),
    ]);

    /// <summary>The app to run.</summary>
    public required EthAddress App { get; init; }

    /// <summary>The most the requester pays the app owner per task, in nRLC.</summary>
    public BigInteger AppMaxPrice { get; init; }

    /// <summary>The dataset, or zero for none.</summary>
    public EthAddress Dataset { get; init; }

    /// <summary>The most the requester pays the dataset owner per task.</summary>
    public BigInteger DatasetMaxPrice { get; init; }

    /// <summary>The workerpool, or zero for any (the SDK always pins it).</summary>
    public EthAddress Workerpool { get; init; }

    /// <summary>The most the requester pays the workerpool per task.</summary>
    public BigInteger WorkerpoolMaxPrice { get; init; }

    /// <summary>The requester, who must sign the order.</summary>
    public required EthAddress Requester { get; init; }

    /// <summary>How many tasks are requested.</summary>
    public required BigInteger Volume { get; init; }

    /// <summary>The 32-byte tag the requester needs (see <see cref="OrderTag"/>); all zeros by default.</summary>
    public byte[] Tag { get; init; } = new byte[32];

    /// <summary>The PoCo category.</summary>
    public BigInteger Category { get; init; }

    /// <summary>The replication trust level.</summary>
    public BigInteger Trust { get; init; }

    /// <summary>Who receives the results; the SDK defaults it to the requester.</summary>
    public required EthAddress Beneficiary { get; init; }

    /// <summary>A contract called back with the result, or zero.</summary>
    public EthAddress Callback { get; init; }

    /// <summary>The compact-JSON execution parameters (<c>iexec_args</c>, <c>iexec_secrets</c>, …).</summary>
    public string Params { get; init; } = "";

    /// <summary>32 bytes that make the order unique.</summary>
    public required byte[] Salt { get; init; }

    /// <inheritdoc/>
    protected override TypedDataType TypedData => Eip712Type;

    /// <inheritdoc/>
    protected override object?[] Members() =>
        [App, AppMaxPrice, Dataset, DatasetMaxPrice, Workerpool, WorkerpoolMaxPrice, Requester, Volume, Tag, Category, Trust,
         Beneficiary, Callback, Params, Salt];
}
