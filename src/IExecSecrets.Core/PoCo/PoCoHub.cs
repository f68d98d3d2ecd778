using System.Numerics;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// Read bindings and calldata builders for the PoCo hub (the IexecInterfaceNative/Token ABI; the selectors are the
/// keccak of the signatures below, identical on the bellecour v5 proxy and the v6 diamond).
/// </summary>
public sealed class PoCoHub : ContractBinding
{
    /// <summary>The <c>matchOrders</c> signature, four order tuples each followed by <c>bytes sign</c> (selector 0x156194d4).</summary>
    public const string MatchOrdersSignature =
        "matchOrders((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),"
        + "(address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),"
        + "(address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes),"
        + "(address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,uint256,address,address,string,bytes32,bytes))";

    private const string DealTuple =
        "(address,address,uint256),(address,address,uint256),(address,address,uint256),uint256,uint256,bytes32,address,address,address,string,uint256,uint256,uint256,uint256,uint256,address";

    private const string TaskTuple =
        "uint8,bytes32,uint256,uint256,uint256,uint256,uint256,bytes32,uint256,uint256,address[],bytes32,bytes,uint256,bytes";

    /// <summary>Binds the hub at <paramref name="address"/>.</summary>
    public PoCoHub(JsonRpcClient rpc, EthAddress address)
        : base(rpc, address)
    {
    }

    /// <summary>The app registry address (<c>appregistry()</c>).</summary>
    public async Task<EthAddress> AppRegistryAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("appregistry()", "address", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>The dataset registry address (<c>datasetregistry()</c>).</summary>
    public async Task<EthAddress> DatasetRegistryAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("datasetregistry()", "address", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>The workerpool registry address (<c>workerpoolregistry()</c>).</summary>
    public async Task<EthAddress> WorkerpoolRegistryAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("workerpoolregistry()", "address", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>The RLC token address (<c>token()</c>); zero on a native chain.</summary>
    public async Task<EthAddress> TokenAsync(CancellationToken cancellationToken = default) =>
        (EthAddress)(await CallAsync("token()", "address", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>The EIP-712 domain the hub verifies order signatures against.</summary>
    public async Task<PoCoDomain> DomainAsync(CancellationToken cancellationToken = default)
    {
        var domain = (object?[])(await CallAsync("domain()", "(string,string,uint256,address)", cancellationToken, []).ConfigureAwait(false))[0]!;
        return new PoCoDomain((string)domain[0]!, (string)domain[1]!, (BigInteger)domain[2]!, (EthAddress)domain[3]!);
    }

    /// <summary>
    /// The hub's EIP-712 domain, checked to carry <paramref name="chainId"/> and this hub's address
    /// (<see cref="Eip712Domain.RequireFor"/>): a domain for another chain or contract would make a signature valid where
    /// it was never meant to be, so orders are signed, cancelled and matched only under a domain that passes.
    /// </summary>
    public async Task<Eip712Domain> RequireDomainAsync(BigInteger chainId, string chainName, CancellationToken cancellationToken = default)
    {
        var domain = await DomainAsync(cancellationToken).ConfigureAwait(false);
        return new Eip712Domain(domain.Name, domain.Version, domain.ChainId, domain.VerifyingContract).RequireFor(chainId, Address, chainName);
    }

    /// <summary>How much of an order (by EIP-712 hash) has been consumed (<c>viewConsumed</c>).</summary>
    public async Task<BigInteger> ViewConsumedAsync(byte[] orderHash, CancellationToken cancellationToken = default) =>
        (BigInteger)(await CallAsync("viewConsumed(bytes32)", "uint256", cancellationToken, Bytes32(orderHash)).ConfigureAwait(false))[0]!;

    /// <summary>An account's stake and locked balance (<c>viewAccount</c>).</summary>
    public async Task<PoCoAccount> ViewAccountAsync(EthAddress account, CancellationToken cancellationToken = default)
    {
        var values = (object?[])(await CallAsync("viewAccount(address)", "(uint256,uint256)", cancellationToken, account).ConfigureAwait(false))[0]!;
        return new PoCoAccount((BigInteger)values[0]!, (BigInteger)values[1]!);
    }

    /// <summary>A category (<c>viewCategory</c>); an unknown index reverts, surfacing as <see cref="RpcException"/>.</summary>
    public async Task<PoCoCategory> ViewCategoryAsync(BigInteger index, CancellationToken cancellationToken = default)
    {
        var result = await Rpc.EthCallAsync(Address, EncodeViewCategory(index), cancellationToken: cancellationToken).ConfigureAwait(false);
        return DecodeCategory(result);
    }

    /// <summary>The number of categories (<c>countCategory()</c>).</summary>
    public async Task<BigInteger> CountCategoryAsync(CancellationToken cancellationToken = default) =>
        (BigInteger)(await CallAsync("countCategory()", "uint256", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>The final deadline as a multiple of the category's work clock (<c>final_deadline_ratio()</c>).</summary>
    public async Task<BigInteger> FinalDeadlineRatioAsync(CancellationToken cancellationToken = default) =>
        (BigInteger)(await CallAsync("final_deadline_ratio()", "uint256", cancellationToken, []).ConfigureAwait(false))[0]!;

    /// <summary>A deal (<c>viewDeal</c>).</summary>
    public async Task<PoCoDeal> ViewDealAsync(byte[] dealId, CancellationToken cancellationToken = default) =>
        DecodeDeal(await Rpc.EthCallAsync(Address, EncodeViewDeal(dealId), cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary><c>viewDeal(bytes32)</c> calldata, for callers that batch it with other reads.</summary>
    public static byte[] EncodeViewDeal(byte[] dealId) => Abi.EncodeCall("viewDeal(bytes32)", Bytes32(dealId));

    /// <summary><c>viewCategory(uint256)</c> calldata, for callers that batch it with other reads.</summary>
    public static byte[] EncodeViewCategory(BigInteger index) => Abi.EncodeCall("viewCategory(uint256)", index);

    /// <summary>The deal in a <c>viewDeal</c> answer.</summary>
    public static PoCoDeal DecodeDeal(byte[] result)
    {
        var v = (object?[])Abi.Decode("(" + DealTuple + ")", result)[0]!;
        static DealResource Resource(object? value)
        {
            var r = (object?[])value!;
            return new DealResource((EthAddress)r[0]!, (EthAddress)r[1]!, (BigInteger)r[2]!);
        }
        return new PoCoDeal(Resource(v[0]), Resource(v[1]), Resource(v[2]), (BigInteger)v[3]!, (BigInteger)v[4]!, (byte[])v[5]!,
            (EthAddress)v[6]!, (EthAddress)v[7]!, (EthAddress)v[8]!, (string)v[9]!, (BigInteger)v[10]!, (BigInteger)v[11]!,
            (BigInteger)v[12]!, (BigInteger)v[13]!, (BigInteger)v[14]!, (EthAddress)v[15]!);
    }

    /// <summary>The category in a <c>viewCategory</c> answer.</summary>
    public static PoCoCategory DecodeCategory(byte[] result)
    {
        var values = (object?[])Abi.Decode("(string,string,uint256)", result)[0]!;
        return new PoCoCategory((string)values[0]!, (string)values[1]!, (BigInteger)values[2]!);
    }

    /// <summary>A task (<c>viewTask</c>).</summary>
    public async Task<PoCoTask> ViewTaskAsync(byte[] taskId, CancellationToken cancellationToken = default)
    {
        var v = (object?[])(await CallAsync("viewTask(bytes32)", "(" + TaskTuple + ")", cancellationToken, Bytes32(taskId)).ConfigureAwait(false))[0]!;
        return new PoCoTask((PoCoTaskStatus)(int)(BigInteger)v[0]!, (byte[])v[1]!, (BigInteger)v[2]!, (BigInteger)v[3]!, (BigInteger)v[4]!,
            (BigInteger)v[5]!, (BigInteger)v[6]!, (byte[])v[7]!, (BigInteger)v[8]!, (BigInteger)v[9]!,
            ((object?[])v[10]!).Select(a => (EthAddress)a!).ToArray(), (byte[])v[11]!, (byte[])v[12]!, (BigInteger)v[13]!, (byte[])v[14]!);
    }

    /// <summary>
    /// <c>matchOrders</c> calldata from the four orders as ABI tuples in EIP-712 field order, each followed by its
    /// <c>sign</c> bytes (empty for the null dataset order). See <see cref="MatchOrdersSignature"/> for the layouts.
    /// </summary>
    public static byte[] EncodeMatchOrders(object?[] appOrder, object?[] datasetOrder, object?[] workerpoolOrder, object?[] requestOrder) =>
        Abi.EncodeCall(MatchOrdersSignature, appOrder, datasetOrder, workerpoolOrder, requestOrder);

    /// <summary>Native-mode <c>deposit()</c> calldata; the deposited amount is the transaction value (wei, 1 nRLC = 1e9 wei).</summary>
    public static byte[] EncodeDeposit() => Abi.EncodeCall("deposit()");

    /// <summary>Sends <paramref name="calldata"/> (e.g. from <see cref="EncodeMatchOrders"/>) to the hub.</summary>
    public Task<Receipt> SendAsync(TransactionSender sender, byte[] calldata, BigInteger value = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return sender.SendAsync(Address, calldata, value, cancellationToken);
    }

    private static byte[] Bytes32(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != 32) throw new ArgumentException("Expected a 32-byte id or hash.", nameof(value));
        return value;
    }
}
