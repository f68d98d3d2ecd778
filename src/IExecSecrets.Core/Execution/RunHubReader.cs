using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Core.Execution;

/// <summary>
/// What a run reads from the PoCo hub and its registries, in as few JSON-RPC batches as the checks allow: the run
/// context (<see cref="LoadAsync"/>, two batches, one once the hub's constants are known), the consumed volume of candidate orders with the registration and
/// owner of the pools they name, the volume a plan's market orders have left, and whether a category exists.
/// </summary>
internal sealed class RunHubReader
{
    private readonly JsonRpcClient _rpc;
    private readonly ChainProfile _chain;
    private HubConstants? _constants;

    public RunHubReader(JsonRpcClient rpc, ChainProfile chain, EthAddress hub)
    {
        _rpc = rpc;
        _chain = chain;
        Hub = hub;
    }

    public EthAddress Hub { get; }

    /// <summary>
    /// Chain id, domain, registries, owners, the app's mrenclave and the requester's stake, then the registration of
    /// the app, workerpool and dataset (see <see cref="AppRunner.LoadAsync"/> for the errors). The hub's constants
    /// (domain, registries: <see cref="HubConstants"/>) are read once per reader; a later load of the same reader (the
    /// next input of a pipeline) reads everything else in one batch, a first one in two.
    /// </summary>
    public async Task<AppRunContext> LoadAsync(AppRunRequest request, RequestParams parameters, EthAddress requester, CancellationToken cancellationToken)
    {
        var known = _constants;
        var calls = new List<(string, object?[]?)>
        {
            ("eth_chainId", null),
            Call(Hub, Abi.EncodeCall("viewAccount(address)", requester)),
            Call(request.App, Abi.EncodeCall("owner()")),
            Call(request.App, Abi.EncodeCall("m_appMREnclave()")),
        };
        if (request.Workerpool is { } pool) calls.Add(Call(pool, Abi.EncodeCall("owner()")));
        if (request.Dataset is { } data) calls.Add(Call(data, Abi.EncodeCall("owner()")));
        var readsConstants = known is null;
        // A first load asks at the registries an earlier reader of this hub was told about, in the same batch as the
        // hub's own answer: those answers count only if this node names the same registries now (else a second batch
        // asks at the ones it names), so the hint saves a round trip and decides nothing.
        var guess = readsConstants ? RegistryGuesses.GetValueOrDefault(GuessKey) : null;
        if (readsConstants)
        {
            calls.Add(Call(Hub, Abi.EncodeCall("domain()")));
            calls.Add(Call(Hub, Abi.EncodeCall("appregistry()")));
            calls.Add(Call(Hub, Abi.EncodeCall("workerpoolregistry()")));
            calls.Add(Call(Hub, Abi.EncodeCall("datasetregistry()")));
            if (guess is not null) calls.AddRange(RegistrationChecks(request, guess));
        }
        else
        {
            calls.AddRange(RegistrationChecks(request, known!));
        }
        // The guessed calls come last and may fail (the address may hold another contract on this node): a failed one
        // only means the guess is not used.
        var guessedFrom = guess is null ? int.MaxValue : calls.Count - RegistrationChecks(request, guess).Count;
        var first = await _rpc.BatchWithOptionalAsync(calls, guessedFrom, cancellationToken).ConfigureAwait(false);

        // The chain id is checked on every load, cached constants or not: the node behind the URL may have changed.
        RequireChainId(first[0]);
        var next = 4;
        EthAddress? workerpoolOwner = request.Workerpool is null ? null : Address(first[next++]);
        EthAddress? datasetOwner = request.Dataset is null ? null : Address(first[next++]);
        JsonElement[] registrations;
        if (readsConstants)
        {
            var domainValues = (object?[])Abi.Decode("(string,string,uint256,address)", Bytes(first[next]))[0]!;
            var domain = new Eip712Domain((string)domainValues[0]!, (string)domainValues[1]!, (BigInteger)domainValues[2]!, (EthAddress)domainValues[3]!)
                .RequireFor(_chain.ChainId, Hub, _chain.Name);
            known = new HubConstants(domain, Address(first[next + 1])!.Value, Address(first[next + 2])!.Value, Address(first[next + 3])!.Value);
            registrations = guess is not null && guess.SameRegistries(known) && first[guessedFrom..].All(a => a.ValueKind != JsonValueKind.Undefined) ? first[guessedFrom..]
                : await _rpc.BatchAsync(RegistrationChecks(request, known), cancellationToken).ConfigureAwait(false);
            // Kept only once every answer of the load decoded and the domain passed its check.
            _constants = known;
            RegistryGuesses[GuessKey] = known;
        }
        else
        {
            registrations = first[next..];
        }
        var stake = (BigInteger)((object?[])Abi.Decode("(uint256,uint256)", Bytes(first[1]))[0]!)[0]!;

        if (!Bool(registrations[0]))
        {
            throw new IExecException(ErrorIds.AppNotDeployed, $"No app deployed at address {request.App}", request.App.ToString())
            { RecommendedAction = $"Check the app address and the chain ({_chain.Name}); Get-IExecApp shows what is deployed." };
        }
        var index = 1;
        if (request.Workerpool is { } registeredPool && !Bool(registrations[index++]))
        {
            throw new IExecException(ErrorIds.WorkerpoolNotDeployed, $"No workerpool deployed at address {registeredPool}", registeredPool.ToString())
            { RecommendedAction = "Check the workerpool address or ENS name, or omit -Workerpool to take any pool from the market." };
        }
        if (request.Dataset is { } registeredDataset && !Bool(registrations[index]))
        {
            throw new IExecException(ErrorIds.DatasetNotDeployed, $"No dataset deployed at address {registeredDataset}", registeredDataset.ToString());
        }

        var mrEnclave = Encoding.UTF8.GetString((byte[])Abi.Decode("bytes", Bytes(first[3]))[0]!);
        return new AppRunContext
        {
            Request = request,
            Params = parameters,
            Requester = requester,
            Domain = known!.Domain,
            AppOwner = Address(first[2])!.Value,
            AppMrEnclave = mrEnclave,
            AppFramework = AppReader.FrameworkOf(mrEnclave),
            WorkerpoolOwner = workerpoolOwner,
            WorkerpoolRegistry = known.WorkerpoolRegistry,
            DatasetOwner = datasetOwner,
            RequesterStake = stake,
        };
    }

    // Registries per chain id and hub, as the last reader was told: only where to ask first (see LoadAsync).
    private static readonly ConcurrentDictionary<string, HubConstants> RegistryGuesses = new(StringComparer.Ordinal);

    private string GuessKey => _chain.ChainId.ToString(CultureInfo.InvariantCulture) + ":" + Hub;

    /// <summary>True once a <see cref="LoadAsync"/> through this reader's node found the profile's chain id.</summary>
    public bool ChainIdChecked { get; private set; }

    private void RequireChainId(JsonElement answer)
    {
        var chainId = (ulong)JsonRpcClient.ParseQuantity(answer);
        if (chainId != _chain.ChainId)
        {
            throw new IExecException(ErrorIds.ChainIdMismatch,
                $"The RPC node at {_rpc.DisplayUrl} serves chain id {chainId}, not the expected {_chain.ChainId}; nothing was signed.", _rpc.DisplayUrl);
        }
        ChainIdChecked = true;
    }

    private static List<(string, object?[]?)> RegistrationChecks(AppRunRequest request, HubConstants constants)
    {
        var checks = new List<(string, object?[]?)> { Call(constants.AppRegistry, Abi.EncodeCall("isRegistered(address)", request.App)) };
        if (request.Workerpool is { } wp) checks.Add(Call(constants.WorkerpoolRegistry, Abi.EncodeCall("isRegistered(address)", wp)));
        if (request.Dataset is { } ds) checks.Add(Call(constants.DatasetRegistry, Abi.EncodeCall("isRegistered(address)", ds)));
        return checks;
    }

    /// <summary>
    /// In one batch, the consumed volume of each order hash and whether each pool is registered in
    /// <paramref name="workerpoolRegistry"/>; then, in one more batch when any is, the owners of the registered pools.
    /// An unregistered pool maps to a null owner.
    /// </summary>
    public async Task<(IReadOnlyList<BigInteger> Consumed, IReadOnlyDictionary<EthAddress, EthAddress?> PoolOwners)> ReadCandidatesAsync(
        IReadOnlyList<byte[]> orderHashes, IReadOnlyList<EthAddress> pools, EthAddress workerpoolRegistry, CancellationToken cancellationToken)
    {
        var calls = orderHashes.Select(h => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", h))).ToList();
        calls.AddRange(pools.Select(p => Call(workerpoolRegistry, Abi.EncodeCall("isRegistered(address)", p))));
        var answers = calls.Count == 0 ? [] : await _rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        var consumed = Enumerable.Range(0, orderHashes.Count).Select(i => Quantity(answers[i])).ToList();
        var owners = new Dictionary<EthAddress, EthAddress?>();
        var registered = pools.Where((_, k) => Bool(answers[orderHashes.Count + k])).ToList();
        foreach (var unregistered in pools.Except(registered)) owners[unregistered] = null;
        if (registered.Count > 0)
        {
            var ownerAnswers = await _rpc.BatchAsync(registered.Select(p => Call(p, Abi.EncodeCall("owner()"))).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < registered.Count; k++) owners[registered[k]] = Address(ownerAnswers[k]);
        }
        return (consumed, owners);
    }

    /// <summary>
    /// Before a plan read earlier is used again, in one batch: this node's chain id (<see cref="ErrorIds.ChainIdMismatch"/>
    /// when it is not the profile's: the node behind the URL may have changed), the app's owner now, and the volume
    /// left of <paramref name="orders"/> (a cancelled order has none).
    /// </summary>
    public async Task<(long Remaining, EthAddress? AppOwner)> RecheckAsync(EthAddress app, IReadOnlyList<(byte[] Hash, BigInteger Volume)> orders, CancellationToken cancellationToken)
    {
        var calls = new List<(string, object?[]?)> { ("eth_chainId", null), Call(app, Abi.EncodeCall("owner()")) };
        calls.AddRange(orders.Select(o => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", o.Hash))));
        var answers = await _rpc.BatchAsync(calls, cancellationToken).ConfigureAwait(false);
        RequireChainId(answers[0]);
        var remaining = orders.Count == 0 ? long.MaxValue : VolumeLeft(orders, answers, 2);
        return (remaining, Address(answers[1]));
    }

    /// <summary>The smallest volume left on chain among <paramref name="orders"/> (volume minus viewConsumed), in one batch.</summary>
    public async Task<long> RemainingVolumeAsync(IReadOnlyList<(byte[] Hash, BigInteger Volume)> orders, CancellationToken cancellationToken)
    {
        if (orders.Count == 0) return long.MaxValue;
        var answers = await _rpc.BatchAsync(orders.Select(o => Call(Hub, Abi.EncodeCall("viewConsumed(bytes32)", o.Hash))).ToList(), cancellationToken).ConfigureAwait(false);
        return VolumeLeft(orders, answers, 0);
    }

    // The smallest volume left among orders whose viewConsumed answers start at answers[from].
    private static long VolumeLeft(IReadOnlyList<(byte[] Hash, BigInteger Volume)> orders, JsonElement[] answers, int from) =>
        Smallest(orders.Select((o, i) => o.Volume - (BigInteger)Abi.Decode("uint256", Bytes(answers[from + i]))[0]!));

    /// <summary>The smallest of <paramref name="remaining"/>, as a count of deals (0 at least, long.MaxValue at most).</summary>
    public static long Smallest(IEnumerable<BigInteger> remaining)
    {
        var smallest = remaining.Min();
        return smallest <= 0 ? 0 : smallest > long.MaxValue ? long.MaxValue : (long)smallest;
    }

    /// <summary>True when the hub knows <paramref name="category"/> (viewCategory answers).</summary>
    public async Task<bool> CategoryExistsAsync(BigInteger category, CancellationToken cancellationToken)
    {
        try
        {
            await new PoCoHub(_rpc, Hub).ViewCategoryAsync(category, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static (string, object?[]?) Call(EthAddress to, byte[] data) =>
        ("eth_call", [new JsonObject { ["to"] = to.ToLowerHex(), ["data"] = Hex.Encode(data) }, "latest"]);

    private static byte[] Bytes(JsonElement result) => Hex.Decode(result.GetString() ?? "0x");

    private static BigInteger Quantity(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length < 32 ? BigInteger.Zero : (BigInteger)Abi.Decode("uint256", bytes)[0]!;
    }

    private static EthAddress? Address(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length < 32 ? null : (EthAddress)Abi.Decode("address", bytes)[0]!;
    }

    private static bool Bool(JsonElement result)
    {
        var bytes = Bytes(result);
        return bytes.Length >= 32 && (bool)Abi.Decode("bool", bytes)[0]!;
    }
}
