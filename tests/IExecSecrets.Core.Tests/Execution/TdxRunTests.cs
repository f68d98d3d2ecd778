using System.Net;
using System.Net.Sockets;

namespace IExecSecrets.Core.Tests.Execution;

/// <summary>SDK 9 rules for TDX runs: the tee,tdx tag forced by -Secret on TDX chains and the mrenclave refusal.</summary>
public sealed class TdxRunTests
{
    private static readonly EthAddress App = EthAddress.Parse("0x1111111111111111111111111111111111111111");
    private static readonly EthAddress Requester = EthAddress.Parse("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");

    [Theory]
    [InlineData(42161UL, null, true)]
    [InlineData(421614UL, null, true)]
    [InlineData(134UL, null, false)]
    [InlineData(65535UL, null, false)]
    [InlineData(65535UL, TeeFramework.Tdx, true)]
    [InlineData(421614UL, TeeFramework.Scone, false)]
    public void ResolveRunTag_SecretWithoutTag_IsTeeTdxOnlyOnTdxChains(ulong chainId, TeeFramework? defaultFramework, bool expectTdx)
    {
        var chain = new ChainProfile { Name = "c" + chainId, ChainId = chainId, DefaultTeeFramework = defaultFramework };

        var tag = RunTags.ResolveRunTag(null, hasSecrets: true, chain, out var forced);

        Assert.Equal(expectTdx, forced);
        Assert.Equal(expectTdx ? "0x0000000000000000000000000000000000000000000000000000000000000009" : OrderTag.ToHex(new byte[32]), OrderTag.ToHex(tag));
    }

    [Fact]
    public void ResolveRunTag_BuiltInArbitrumChains_DefaultToTdx()
    {
        Assert.True(RunTags.DefaultsToTdx(BuiltInChains.ArbitrumMainnet));
        Assert.True(RunTags.DefaultsToTdx(BuiltInChains.ArbitrumSepoliaTestnet));
        Assert.False(RunTags.DefaultsToTdx(BuiltInChains.Bellecour));
    }

    [Fact]
    public void ResolveRunTag_NoSecretsOnBellecour_KeepsTheZeroTag()
    {
        var tag = RunTags.ResolveRunTag(null, hasSecrets: false, BuiltInChains.Bellecour, out var forced);

        Assert.False(forced);
        Assert.All(tag, b => Assert.Equal(0, b));
    }

    [Fact]
    public void ResolveRunTag_NoSecretsOnATdxChain_IsStillTeeTdx()
    {
        // SDK 9.0.1 createRequestorder sums every tag with 0x…09, secrets or not.
        var tag = RunTags.ResolveRunTag(null, hasSecrets: false, BuiltInChains.ArbitrumMainnet, out var forced);

        Assert.True(forced);
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000009", OrderTag.ToHex(tag));
    }

    [Theory]
    [InlineData("tee,scone")]
    [InlineData("tee")]
    [InlineData("tee,gramine")]
    public void ResolveRunTag_ExplicitTagOnBellecour_IsKept(string text)
    {
        var explicitTag = OrderTag.Parse(text, allowTeeWithoutFramework: true);

        var tag = RunTags.ResolveRunTag(explicitTag, hasSecrets: true, BuiltInChains.Bellecour, out var forced);

        Assert.False(forced);
        Assert.Equal(OrderTag.ToHex(explicitTag), OrderTag.ToHex(tag));
    }

    [Theory]
    [InlineData("tee,scone", "'scone'")]
    [InlineData("tee,gramine", "'gramine'")]
    public void ResolveRunTag_LegacyFrameworkOnATdxChain_IsRefusedBeforeAnySignature(string text, string named)
    {
        var explicitTag = OrderTag.Parse(text, allowTeeWithoutFramework: true);

        var error = Assert.Throws<IExecException>(() => RunTags.ResolveRunTag(explicitTag, hasSecrets: true, BuiltInChains.ArbitrumSepoliaTestnet, out _));

        Assert.Equal(ErrorIds.LegacyTeeFrameworkTag, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidArgument, error.Category);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(OrderTag.ToHex(explicitTag), error.Target);
    }

    [Theory]
    [InlineData("tee", true)]
    [InlineData("tee,tdx", false)]
    public void ResolveRunTag_OtherTagsOnATdxChain_GetTeeTdx(string text, bool changed)
    {
        var explicitTag = OrderTag.Parse(text, allowTeeWithoutFramework: true);

        var tag = RunTags.ResolveRunTag(explicitTag, hasSecrets: false, new ChainProfile { Name = "token-devnet", ChainId = 134, DefaultTeeFramework = TeeFramework.Tdx }, out var forced);

        Assert.Equal(changed, forced);
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000009", OrderTag.ToHex(tag));
    }

    [Fact]
    public void ForTdxChain_KeepsOtherBitsAndAddsTeeTdx()
    {
        var gpu = new byte[32];
        gpu[30] = 0x01; // bit 8, gpu

        var tag = RunTags.ForTdxChain(gpu, BuiltInChains.ArbitrumMainnet, "app order");

        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000109", OrderTag.ToHex(tag));
        Assert.Equal(0, gpu[31]); // the input is not modified
    }

    [Fact]
    public async Task Preflight_TdxRunOfAnAppWithMrEnclave_IsRefusedBeforeAnyRequest()
    {
        using var harness = new OfflineHarness();
        var context = harness.Context("tee,tdx", "{\"provider\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"x\",\"heapSize\":1,\"fingerprint\":\"ab\"}", skipPreflight: false);

        var error = await Assert.ThrowsAsync<IExecException>(() => harness.Runner.PreflightAsync(context));

        Assert.Equal(ErrorIds.AppMrEnclaveNotSupported, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidOperation, error.Category);
        Assert.Equal($"App requirements check failed: App {App} has an MREnclave, which is no longer supported", error.Message);
        Assert.Equal(0, harness.RpcRequests);
        Assert.Equal(0, harness.SmsOpened);
    }

    [Fact]
    public async Task Preflight_TdxRunWithSkipPreflight_DoesNotRefuseTheMrEnclave()
    {
        using var harness = new OfflineHarness();
        var context = harness.Context("tee,tdx", "{\"provider\":\"SCONE\"}", skipPreflight: true);

        var report = await harness.Runner.PreflightAsync(context);

        Assert.False(report.Performed);
        Assert.Equal(0, harness.RpcRequests);
    }

    [Fact]
    public async Task Preflight_SconeRunOfAnAppWithMrEnclave_FollowsThe824Rules()
    {
        using var harness = new OfflineHarness();
        var context = harness.Context("tee,scone", "{\"provider\":\"GRAMINE\"}", skipPreflight: false) with { AppFramework = TeeFramework.Gramine };

        var report = await harness.Runner.PreflightAsync(context);

        Assert.True(report.TagMismatch);
        Assert.Equal(0, harness.SmsOpened);
    }

    [Fact]
    public async Task Preflight_TdxRunOfAnAppWithoutMrEnclave_GoesOnToTheSms()
    {
        using var harness = new OfflineHarness();
        var context = harness.Context("tee,tdx", "", skipPreflight: false);

        // The SMS sits on a closed port: reaching it proves the mrenclave rule let the run through.
        var error = await Record.ExceptionAsync(() => harness.Runner.PreflightAsync(context));

        Assert.NotNull(error);
        Assert.False(error is IExecException { ErrorId: ErrorIds.AppMrEnclaveNotSupported });
        Assert.Equal(1, harness.SmsOpened);
        Assert.Equal(0, harness.RpcRequests);
    }

    private sealed class OfflineHarness : IDisposable
    {
        private readonly JsonRpcClient _rpc;
        private readonly CountingHandler _handler;
        private readonly string _closedUrl;
        private readonly SmsClientCache _smsClients = new();

        public OfflineHarness()
        {
            _closedUrl = $"http://127.0.0.1:{ClosedPort()}";
            _handler = new CountingHandler();
            _rpc = new JsonRpcClient(new Uri(_closedUrl), new HttpClient(_handler), maxRetries: 0);
            var chain = new ChainProfile
            {
                Name = "closed",
                ChainId = 65535,
                Host = _closedUrl,
                Hub = EthAddress.Parse("0xc4b11f41746D3Ad8504da5B383E1aB9aa969AbC7"),
                Sms = ChainSms.Single(_closedUrl),
                DefaultTeeFramework = TeeFramework.Tdx,
            };
            Runner = new AppRunner(_rpc, chain, sms: url =>
            {
                SmsOpened++;
                return _smsClients.Acquire(url, allowInsecureHttp: false, TimeSpan.FromSeconds(30));
            });
        }

        public AppRunner Runner { get; }

        public int SmsOpened { get; private set; }

        public int RpcRequests => _handler.Count;

        public AppRunContext Context(string tag, string mrEnclave, bool skipPreflight)
        {
            var request = new AppRunRequest
            {
                App = App,
                Tag = OrderTag.Parse(tag, allowTeeWithoutFramework: true),
                SkipPreflight = skipPreflight,
                Params = new RequestParamsBuilder { Secrets = [new(1, "x1")] },
            };
            return new AppRunContext
            {
                Request = request,
                Params = AppRunner.Validate(request),
                Requester = Requester,
                Domain = new Eip712Domain("iExecODB", "5.0.0", 65535, EthAddress.Parse("0xc4b11f41746D3Ad8504da5B383E1aB9aa969AbC7")),
                AppOwner = Requester,
                AppMrEnclave = mrEnclave,
                AppFramework = mrEnclave.Length == 0 ? null : TeeFramework.Scone,
            };
        }

        public void Dispose()
        {
            _smsClients.Clear();
            _rpc.Dispose();
        }

        private static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public CountingHandler() : base(new SocketsHttpHandler()) { }

        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
