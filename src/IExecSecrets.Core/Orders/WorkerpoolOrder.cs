using System.Numerics;
using IExecSecrets.Core.Crypto;

namespace IExecSecrets.Core.Orders;

/// <summary>
/// A workerpool's offer of compute, PoCo's <c>WorkerpoolOrder</c>. Members are in EIP-712 order; byte-array members
/// compare by reference in record equality.
/// </summary>
public sealed record WorkerpoolOrder
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

    /// <summary>The pool owner's EIP-712 signature, or <c>0x</c> when unsigned.</summary>
    public string Sign { get; init; } = "0x";

    /// <summary>The order hash (EIP-712 digest).</summary>
    public byte[] Hash(Eip712Domain domain) => OrderSigning.Hash(Eip712Type,
        [Workerpool, WorkerpoolPrice, Volume, Tag, Category, Trust, AppRestrict, DatasetRestrict, RequesterRestrict, Salt], domain);

    /// <summary>A copy of this order with <see cref="Sign"/> set to <paramref name="signer"/>'s signature of <see cref="Hash"/>.</summary>
    public WorkerpoolOrder SignWith(IEthSigner signer, Eip712Domain domain) => this with { Sign = OrderSigning.Sign(signer, Hash(domain)) };

    /// <summary>The address that produced <see cref="Sign"/>; throws when the order is unsigned.</summary>
    public EthAddress RecoverSigner(Eip712Domain domain) => OrderSigning.RecoverSigner(Hash(domain), Sign, nameof(WorkerpoolOrder));

    /// <summary>
    /// The order as the ABI tuple <c>matchOrders</c> takes: the EIP-712 members in order, then <see cref="Sign"/> as
    /// raw bytes (empty for <c>0x</c>).
    /// </summary>
    public object?[] ToMatchOrdersTuple() =>
        [Workerpool, WorkerpoolPrice, Volume, Tag, Category, Trust, AppRestrict, DatasetRestrict, RequesterRestrict, Salt, Hex.Decode(Sign)];
}
