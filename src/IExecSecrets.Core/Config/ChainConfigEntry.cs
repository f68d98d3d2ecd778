namespace IExecSecrets.Core.Config;

/// <summary>
/// One validated entry of <c>chain.json</c> <c>chains</c>: only the keys the file sets are non-null. Merged over the
/// built-in defaults by <see cref="ApplyTo"/>, key by key and never deeper (SDK 8.24's shallow spread).
/// </summary>
public sealed record ChainConfigEntry
{
    /// <summary>The key of the entry under <c>chains</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The <c>id</c> key, when set.</summary>
    public ulong? ChainId { get; init; }

    /// <summary>The <c>host</c> key, when set.</summary>
    public string? Host { get; init; }

    /// <summary>The <c>hub</c> key, when set.</summary>
    public EthAddress? Hub { get; init; }

    /// <summary>The <c>ensRegistry</c> key, when set.</summary>
    public string? EnsRegistry { get; init; }

    /// <summary>The <c>ensPublicResolver</c> key, when set.</summary>
    public string? EnsPublicResolver { get; init; }

    /// <summary>The <c>voucherHub</c> key, when set.</summary>
    public string? VoucherHub { get; init; }

    /// <summary>The <c>sms</c> key (a URL or a per-framework map), when set; it replaces the default whole.</summary>
    public ChainSms? Sms { get; init; }

    /// <summary>The <c>resultProxy</c> key, when set.</summary>
    public string? ResultProxy { get; init; }

    /// <summary>The <c>ipfsGateway</c> key, when set.</summary>
    public string? IpfsGateway { get; init; }

    /// <summary>The <c>iexecGateway</c> key, when set.</summary>
    public string? IExecGateway { get; init; }

    /// <summary>The <c>compass</c> key, when set.</summary>
    public string? Compass { get; init; }

    /// <summary>The <c>pocoSubgraph</c> key, when set.</summary>
    public string? PocoSubgraph { get; init; }

    /// <summary>The <c>voucherSubgraph</c> key, when set.</summary>
    public string? VoucherSubgraph { get; init; }

    /// <summary>The <c>native</c> key, when set.</summary>
    public bool? Native { get; init; }

    /// <summary>The <c>useGas</c> key, when set.</summary>
    public bool? UseGas { get; init; }

    /// <summary>The <c>maxFeePerGas</c> key in wei, when set (an iExecSecrets key; the iexec SDK has none).</summary>
    public System.Numerics.BigInteger? MaxFeePerGas { get; init; }

    /// <summary>The <c>defaultTeeFramework</c> key, when set.</summary>
    public TeeFramework? DefaultTeeFramework { get; init; }

    /// <summary>The <c>bridge.bridgedChainName</c> key, when set.</summary>
    public string? BridgedChainName { get; init; }

    /// <summary>The <c>bridge.contract</c> key, when set.</summary>
    public EthAddress? BridgeContract { get; init; }

    /// <summary>
    /// The profile this entry yields over <paramref name="defaults"/> (the built-in chain of the same id, or a bare
    /// profile): every key set here wins, every other key keeps the default.
    /// </summary>
    public ChainProfile ApplyTo(ChainProfile defaults) => defaults with
    {
        Name = Name,
        ChainId = ChainId ?? defaults.ChainId,
        Host = Host ?? defaults.Host,
        Hub = Hub ?? defaults.Hub,
        EnsRegistry = EnsRegistry ?? defaults.EnsRegistry,
        EnsPublicResolver = EnsPublicResolver ?? defaults.EnsPublicResolver,
        VoucherHub = VoucherHub ?? defaults.VoucherHub,
        Sms = Sms ?? defaults.Sms,
        ResultProxy = ResultProxy ?? defaults.ResultProxy,
        IpfsGateway = IpfsGateway ?? defaults.IpfsGateway,
        IExecGateway = IExecGateway ?? defaults.IExecGateway,
        Compass = Compass ?? defaults.Compass,
        PocoSubgraph = PocoSubgraph ?? defaults.PocoSubgraph,
        VoucherSubgraph = VoucherSubgraph ?? defaults.VoucherSubgraph,
        Native = Native ?? defaults.Native,
        UseGas = UseGas ?? defaults.UseGas,
        MaxFeePerGas = MaxFeePerGas ?? defaults.MaxFeePerGas,
        DefaultTeeFramework = DefaultTeeFramework ?? defaults.DefaultTeeFramework,
        BridgedChainName = BridgedChainName ?? defaults.BridgedChainName,
        BridgeContract = BridgeContract ?? defaults.BridgeContract,
    };
}
