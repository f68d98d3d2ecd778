using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// Deploys the real PoCo v6 contracts from the <c>@iexec/poco</c> npm package onto a fresh devnet chain with this
/// project's own transaction code, mirroring upstream <c>deploy/0_deploy.ts</c>: the ERC-2535 base facets, the
/// diamond, <c>IexecLibOrders_v5</c>, every PoCo facet (library linked) cut in one by one, the three registries,
/// <c>configure</c> and the five categories. It then creates the devnet workerpool (owned by account #2) and
/// deposits 1000 RLC for accounts #1-#9. In <see cref="DevNetMode.Native"/> mode the escrow holds the chain's own
/// coin (<c>IexecEscrowNativeFacet</c>, <c>deposit()</c> with value); in <see cref="DevNetMode.Token"/> mode the RLC
/// ERC-20 of <c>rlc-faucet-contract</c> is deployed right after the facets, the hub uses <c>IexecEscrowTokenFacet</c>
/// and is configured with that token, and each account receives 1000 RLC from the deployer (whom the token's
/// constructor minted the whole supply to) and deposits it with <c>RLC.approveAndCall(hub, amount, "0x")</c>. The resulting anvil state is cached under <c>.devnet-cache/</c>, keyed by
/// the anvil version, the PoCo version and the mode, and later deployments load it instead.
/// </summary>
public sealed class PoCoDeployer
{
    /// <summary>Bump when the deployment sequence changes, so stale caches are not loaded.</summary>
    private const int SequenceVersion = 1;

    /// <summary>The devnet workerpool's description (its CREATE2 salt).</summary>
    public const string WorkerpoolDescription = "iExec devnet workerpool";

    /// <summary>What each account #1-#9 deposits: 1000 RLC, as wei (1 nRLC = 1e9 wei on a native chain).</summary>
    public static readonly BigInteger DepositWei = BigInteger.Parse("1000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What each account #1-#9 deposits in token mode: 1000 RLC, as nRLC (the RLC token has 9 decimals).</summary>
    public static readonly BigInteger DepositNRlc = 1_000_000_000_000;

    private static readonly string[] PoCoFacets =
    [
        "IexecAccessorsABILegacyFacet", "IexecCategoryManagerFacet", "IexecConfigurationExtraFacet", "IexecConfigurationFacet",
        "IexecERC20Facet", "ESCROW", "IexecOrderManagementFacet", "IexecPoco1Facet", "IexecPoco2Facet",
        "IexecPocoAccessorsFacet", "IexecPocoBoostAccessorsFacet", "IexecPocoBoostFacet", "IexecRelayFacet",
    ];

    private static readonly (string Name, int WorkClockTimeRef)[] Categories =
        [("XS", 300), ("S", 1200), ("M", 3600), ("L", 10800), ("XL", 36000)];

    private readonly RepositoryLayout _layout;

    /// <summary>Uses the PoCo package and cache folder of <paramref name="layout"/>.</summary>
    public PoCoDeployer(RepositoryLayout layout) => _layout = layout ?? throw new ArgumentNullException(nameof(layout));

    /// <summary>The PoCo package version (e.g. 6.1.0).</summary>
    public string PoCoVersion
    {
        get
        {
            var manifest = Path.Combine(_layout.PoCoPackage, "package.json");
            if (!File.Exists(manifest))
            {
                throw new DevNetException(DevNetErrorId.PoCoPackageNotInstalled,
                    $"The PoCo package was not found at {_layout.PoCoPackage}.", _layout.PoCoPackage) { RecommendedAction = "Run eng/setup.sh." };
            }
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return document.RootElement.GetProperty("version").GetString()!;
        }
    }

    /// <summary>
    /// Loads the cached state for this anvil/PoCo/mode into the (fresh) node behind <paramref name="rpc"/> when there
    /// is one, else deploys and writes the cache. <paramref name="useCache"/> false always deploys and never writes.
    /// </summary>
    public async Task<PoCoDeployment> DeployOrLoadAsync(JsonRpcClient rpc, DevNetMode mode, bool useCache = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var stopwatch = Stopwatch.StartNew();
        var cacheFile = await CacheFileAsync(rpc, mode, cancellationToken).ConfigureAwait(false);
        if (useCache && File.Exists(cacheFile))
        {
            var loaded = await TryLoadAsync(rpc, cacheFile, cancellationToken).ConfigureAwait(false);
            if (loaded is not null) return loaded with { FromCache = true, Duration = stopwatch.Elapsed };
        }
        var deployment = await DeployAsync(rpc, mode, cancellationToken).ConfigureAwait(false);
        if (useCache) await WriteCacheAsync(rpc, cacheFile, deployment, cancellationToken).ConfigureAwait(false);
        return deployment with { FromCache = false, Duration = stopwatch.Elapsed };
    }

    /// <summary>Runs the full deployment sequence with transactions from account #0 (about 50 transactions).</summary>
    public async Task<PoCoDeployment> DeployAsync(JsonRpcClient rpc, DevNetMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        var stopwatch = Stopwatch.StartNew();
        var deployer = DevNetAccount.All[0];
        var options = new TransactionSenderOptions { FeeMode = FeeMode.ZeroGasPriceLegacy, FirstPollDelay = TimeSpan.FromMilliseconds(5) };
        var sender = new TransactionSender(rpc, deployer, AnvilProcess.DevNetChainId, options);

        // 1-2: the ERC-2535 base facets and the diamond, with their selectors cut in by the constructor.
        var arbitrum = Path.Combine(_layout.PoCoPackage, "deployments", "arbitrum");
        var diamondInit = await DeployArtifactAsync(sender, PoCoArtifact.Load(Path.Combine(arbitrum, "DiamondInit.json")), cancellationToken).ConfigureAwait(false);
        var baseCuts = new List<object?[]>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { "DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet" })
        {
            var artifact = PoCoArtifact.Load(Path.Combine(arbitrum, name + ".json"));
            var address = await DeployArtifactAsync(sender, artifact, cancellationToken).ConfigureAwait(false);
            baseCuts.Add([address, 0, NewSelectors(artifact, present)]);
        }
        var diamondArtifact = PoCoArtifact.Load(Artifact("Diamond.sol", "Diamond"));
        var constructorArgs = Abi.Encode("(address,uint8,bytes4[])[],(address,address,bytes)",
            baseCuts.ToArray(), new object?[] { deployer.Address, diamondInit, Abi.EncodeCall("init()") });
        var hub = await DeployCodeAsync(sender, [.. diamondArtifact.LinkedBytecode(new Dictionary<string, EthAddress>()), .. constructorArgs], cancellationToken).ConfigureAwait(false);

        // 3: the library, then each PoCo facet, linked and cut in, skipping selectors the diamond already routes.
        var libOrders = await DeployArtifactAsync(sender, PoCoArtifact.Load(Artifact(Path.Combine("libs", "IexecLibOrders_v5.sol"), "IexecLibOrders_v5")), cancellationToken).ConfigureAwait(false);
        var libraries = new Dictionary<string, EthAddress> { ["IexecLibOrders_v5"] = libOrders };
        foreach (var facetName in PoCoFacets)
        {
            var name = facetName != "ESCROW" ? facetName : mode == DevNetMode.Token ? "IexecEscrowTokenFacet" : "IexecEscrowNativeFacet";
            var artifact = PoCoArtifact.Load(Artifact(Path.Combine("facets", name + ".sol"), name));
            var facet = await DeployCodeAsync(sender, artifact.LinkedBytecode(libraries), cancellationToken).ConfigureAwait(false);
            var selectors = NewSelectors(artifact, present);
            if (selectors.Length == 0) continue;
            await sender.SendAsync(hub, Abi.EncodeCall("diamondCut((address,uint8,bytes4[])[],address,bytes)",
                new object?[] { new object?[] { facet, 0, selectors } }, EthAddress.Zero, Array.Empty<byte>()), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // 4: token mode only, the RLC ERC-20; its constructor mints the whole supply to the deployer.
        var token = mode == DevNetMode.Token
            ? await DeployArtifactAsync(sender, LoadRlcArtifact(), cancellationToken).ConfigureAwait(false)
            : EthAddress.Zero;

        // 5: the registries.
        var registries = new Dictionary<string, EthAddress>();
        foreach (var (kind, folder, name) in new[] { ("app", "apps", "AppRegistry"), ("dataset", "datasets", "DatasetRegistry"), ("workerpool", "workerpools", "WorkerpoolRegistry") })
        {
            var registry = await DeployArtifactAsync(sender, PoCoArtifact.Load(Artifact(Path.Combine("registries", folder, name + ".sol"), name)), cancellationToken).ConfigureAwait(false);
            await sender.SendAsync(registry, Abi.EncodeCall("initialize(address)", EthAddress.Zero), cancellationToken: cancellationToken).ConfigureAwait(false);
            await sender.SendAsync(registry, Abi.EncodeCall("setBaseURI(string)", $"https://nfts-metadata.iex.ec/{kind}/{AnvilProcess.DevNetChainId}/"), cancellationToken: cancellationToken).ConfigureAwait(false);
            registries[kind] = registry;
        }

        // 6-7: configure (sets the EIP-712 domain from chainid and the hub address) and the categories.
        await sender.SendAsync(hub, Abi.EncodeCall("configure(address,string,string,uint8,address,address,address,address)",
            token, "Staked RLC", "SRLC", 9, registries["app"], registries["dataset"], registries["workerpool"], EthAddress.Zero),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var (name, workClockTimeRef) in Categories)
        {
            var description = $"{{\"name\":\"{name}\",\"description\":\"devnet category {name}\"}}";
            await sender.SendAsync(hub, Abi.EncodeCall("createCategory(string,string,uint256)", name, description, workClockTimeRef), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // The devnet's own actors: a workerpool owned by account #2 and funded escrow accounts.
        var workerpoolOwner = DevNetAccount.All[2];
        var workerpoolSender = new TransactionSender(rpc, workerpoolOwner, AnvilProcess.DevNetChainId, options);
        var workerpool = await new WorkerpoolRegistry(rpc, registries["workerpool"])
            .CreateWorkerpoolAsync(workerpoolSender, workerpoolOwner.Address, WorkerpoolDescription, cancellationToken).ConfigureAwait(false);
        foreach (var account in DevNetAccount.All.Skip(1))
        {
            var accountSender = new TransactionSender(rpc, account, AnvilProcess.DevNetChainId, options);
            if (mode == DevNetMode.Token)
            {
                await sender.SendAsync(token, Abi.EncodeCall("transfer(address,uint256)", account.Address, DepositNRlc), cancellationToken: cancellationToken).ConfigureAwait(false);
                // approveAndCall makes the token call the hub's receiveApproval, which pulls the amount into the escrow.
                await accountSender.SendAsync(token, Abi.EncodeCall("approveAndCall(address,uint256,bytes)", hub, DepositNRlc, Array.Empty<byte>()),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await accountSender.SendAsync(hub, PoCoHub.EncodeDeposit(), DepositWei, cancellationToken).ConfigureAwait(false);
            }
        }

        return new PoCoDeployment(mode, hub, registries["app"], registries["dataset"], registries["workerpool"], workerpool.Address, false, stopwatch.Elapsed)
        {
            Token = token,
        };
    }

    private PoCoArtifact LoadRlcArtifact()
    {
        if (!File.Exists(_layout.RlcArtifact))
        {
            throw new DevNetException(DevNetErrorId.PoCoPackageNotInstalled,
                $"The RLC token artifact was not found at {_layout.RlcArtifact}.", _layout.RlcArtifact) { RecommendedAction = "Run eng/setup.sh." };
        }
        return PoCoArtifact.Load(_layout.RlcArtifact);
    }

    private string Artifact(string sourceFolder, string name) =>
        Path.Combine(_layout.PoCoPackage, "artifacts", "contracts", sourceFolder, name + ".json");

    private static object?[] NewSelectors(PoCoArtifact artifact, HashSet<string> present) =>
        artifact.Selectors.Where(s => present.Add(Hex.Encode(s))).Cast<object?>().ToArray();

    private static Task<EthAddress> DeployArtifactAsync(TransactionSender sender, PoCoArtifact artifact, CancellationToken cancellationToken) =>
        DeployCodeAsync(sender, artifact.LinkedBytecode(new Dictionary<string, EthAddress>()), cancellationToken);

    private static async Task<EthAddress> DeployCodeAsync(TransactionSender sender, byte[] initCode, CancellationToken cancellationToken)
    {
        var receipt = await sender.DeployAsync(initCode, cancellationToken: cancellationToken).ConfigureAwait(false);
        return receipt.ContractAddress ?? throw new InvalidOperationException($"Deployment {receipt.TransactionHash} has no contract address.");
    }

    private async Task<string> CacheFileAsync(JsonRpcClient rpc, DevNetMode mode, CancellationToken cancellationToken)
    {
        var client = (await rpc.CallAsync("web3_clientVersion", null, cancellationToken).ConfigureAwait(false)).GetString() ?? "unknown";
        var safeClient = new string(client.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray());
        return Path.Combine(_layout.CacheDirectory, $"poco-{PoCoVersion}-{mode.ToString().ToLowerInvariant()}-{safeClient}-s{SequenceVersion}.json");
    }

    private static async Task<PoCoDeployment?> TryLoadAsync(JsonRpcClient rpc, string cacheFile, CancellationToken cancellationToken)
    {
        try
        {
            var root = JsonNode.Parse(await File.ReadAllTextAsync(cacheFile, cancellationToken).ConfigureAwait(false))!;
            var loaded = await rpc.CallAsync("anvil_loadState", [root["state"]!.GetValue<string>()], cancellationToken).ConfigureAwait(false);
            if (loaded.ValueKind != JsonValueKind.True) return null;
            EthAddress Read(string name) => EthAddress.Parse(root[name]!.GetValue<string>());
            var deployment = new PoCoDeployment(Enum.Parse<DevNetMode>(root["mode"]!.GetValue<string>()), Read("hub"), Read("appRegistry"),
                Read("datasetRegistry"), Read("workerpoolRegistry"), Read("workerpool"), true, TimeSpan.Zero)
            {
                // Caches written before token mode existed have no token entry; they are native, token 0x0.
                Token = root["token"] is { } token ? EthAddress.Parse(token.GetValue<string>()) : EthAddress.Zero,
            };
            // A state from another anvil build could load but miss code; check the hub answers before trusting it.
            var registry = await new PoCoHub(rpc, deployment.Hub).AppRegistryAsync(cancellationToken).ConfigureAwait(false);
            return registry == deployment.AppRegistry ? deployment : null;
        }
        catch (Exception e) when (e is JsonException or IExecException or NullReferenceException or FormatException or IOException)
        {
            return null;
        }
    }

    private static async Task WriteCacheAsync(JsonRpcClient rpc, string cacheFile, PoCoDeployment deployment, CancellationToken cancellationToken)
    {
        var state = (await rpc.CallAsync("anvil_dumpState", null, cancellationToken).ConfigureAwait(false)).GetString()!;
        var root = new JsonObject
        {
            ["mode"] = deployment.Mode.ToString(),
            ["hub"] = deployment.Hub.ToString(),
            ["appRegistry"] = deployment.AppRegistry.ToString(),
            ["datasetRegistry"] = deployment.DatasetRegistry.ToString(),
            ["workerpoolRegistry"] = deployment.WorkerpoolRegistry.ToString(),
            ["workerpool"] = deployment.Workerpool.ToString(),
            ["token"] = deployment.Token.ToString(),
            ["state"] = state,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
        // Write then rename, so a concurrent reader never sees half a file.
        var temporary = cacheFile + "." + Guid.NewGuid().ToString("N") + ".tmp"; // unique: several devnets may start at once
        await File.WriteAllTextAsync(temporary, root.ToJsonString(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, cacheFile, overwrite: true);
    }
}
