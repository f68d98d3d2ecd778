using IExecSecrets.Core.Market;
using IExecSecrets.Core.Net;

namespace IExecSecrets.Core.Tests.Net;

// Every URL the module calls follows one rule (https, http to loopback, or an explicit allowance), is printed without
// credentials, path or query, is never redirected, and its answers are size-capped. Each hostile case is a real
// loopback server (ScriptedHttpServer) or a URL that must be refused before any request.
public sealed class TransportPolicyTests
{
    private const string Canary = "CANARY-rpc-credential-9c1e";

    [Theory]
    [InlineData("http://node.example:8545", true)]
    [InlineData("http://10.1.2.3:8545", true)]
    [InlineData("http://127.0.0.1:8545", false)]
    [InlineData("http://localhost:8545", false)]
    [InlineData("http://[::1]:8545", false)]
    [InlineData("https://node.example", false)]
    public void JsonRpcClient_PlainHttpOffLoopback_InsecureRpcUrlUnlessAllowed(string url, bool refused)
    {
        var error = Record.Exception(() => new JsonRpcClient(new Uri(url)).Dispose());
        if (refused)
        {
            var insecure = Assert.IsType<IExecException>(error);
            Assert.Equal(ErrorIds.InsecureRpcUrl, insecure.ErrorId);
            Assert.Equal(IExecErrorCategory.SecurityError, insecure.Category);
            using var allowed = new JsonRpcClient(new Uri(url), allowInsecureHttp: true);
        }
        else
        {
            Assert.Null(error);
        }
    }

    [Fact]
    public void MarketClient_PlainHttpOffLoopback_InsecureMarketUrlUnlessAllowed()
    {
        var error = Assert.Throws<IExecException>(() => new MarketClient(new Uri("http://market.example")));

        Assert.Equal(ErrorIds.InsecureMarketUrl, error.ErrorId);
        using var allowed = new MarketClient(new Uri("http://market.example"), allowInsecureHttp: true);
    }

    [Fact]
    public void TaskResultDownloader_PlainHttpGatewayOrProxyOffLoopback_InsecureGatewayUrlUnlessAllowed()
    {
        Assert.Equal(ErrorIds.InsecureGatewayUrl, Assert.Throws<IExecException>(() => new TaskResultDownloader(new Uri("http://ipfs.example"))).ErrorId);
        Assert.Equal(ErrorIds.InsecureGatewayUrl, Assert.Throws<IExecException>(() => new TaskResultDownloader(new Uri("https://ipfs.example"),
            options: new ResultDownloadOptions { ResultProxy = new Uri("http://result.example") })).ErrorId);
        using var allowed = new TaskResultDownloader(new Uri("http://ipfs.example"), options: new ResultDownloadOptions { AllowInsecureHttp = true });
    }

    [Fact]
    public void ChainRpcConnect_ChainJsonHostPlainHttp_InsecureRpcUrlWithoutTheCredentialsInTheMessage()
    {
        var chain = new ChainProfile { Name = "custom", ChainId = 65535, Host = $"http://user:{Canary}@node.example:8545/v3/{Canary}?key={Canary}" };

        var error = Assert.Throws<IExecException>(() => ChainRpc.Connect(chain));

        Assert.Equal(ErrorIds.InsecureRpcUrl, error.ErrorId);
        Assert.DoesNotContain(Canary, error.Message + error.Target + error.RecommendedAction);
        Assert.Contains("http://node.example:8545", error.Message);
    }

    [Theory]
    [InlineData("https://user:pw@node.example:8545/v3/KEY?apikey=Q#frag", "https://node.example:8545")]
    [InlineData("https://node.example/v3/KEY", "https://node.example")]
    [InlineData("http://127.0.0.1:8545", "http://127.0.0.1:8545")]
    [InlineData("http://[::1]:5000/x", "http://[::1]:5000")]
    [InlineData("tcp://user:pw@docker.example:2376/x", "tcp://docker.example:2376")]
    [InlineData("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
    [InlineData("mainnet", "mainnet")]
    [InlineData("ht!tp://user:pw@bad host/KEY", "(an unparseable URL)")]
    [InlineData("wss://user:pw@node.example/KEY", "wss://node.example")]
    public void Display_KeepsOnlySchemeHostAndPort(string url, string shown)
    {
        Assert.Equal(shown, TransportPolicy.Display(url));
    }

    [Fact]
    public async Task JsonRpcClient_NodeUnreachableAtAUrlWithCredentials_MessageHoldsNoCredential()
    {
        var closed = ClosedPort();
        using var rpc = new JsonRpcClient(new Uri($"http://user:{Canary}@127.0.0.1:{closed}/v3/{Canary}?k={Canary}"), maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => rpc.ChainIdAsync());

        Assert.Equal(ErrorIds.RpcUnreachable, error.ErrorId);
        Assert.DoesNotContain(Canary, error.Message + error.Target + error.RecommendedAction);
        Assert.Equal($"http://127.0.0.1:{closed}", rpc.DisplayUrl);
    }

    [Fact]
    public async Task JsonRpcClient_NodeRedirects_UnexpectedRedirectAndTheTargetIsNeverCalled()
    {
        using var server = new ScriptedHttpServer();
        server.Redirect("/rpc", new Uri(server.Url, "/elsewhere").ToString(), 307)
            .Text("/elsewhere", """{"jsonrpc":"2.0","id":1,"result":"0x1"}""", "application/json");
        using var rpc = new JsonRpcClient(new Uri(server.Url, "/rpc"), maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => rpc.ChainIdAsync());

        Assert.Equal(ErrorIds.UnexpectedRedirect, error.ErrorId);
        Assert.Equal(0, server.HitsOn("/elsewhere"));
    }

    // The refusal names where the redirect pointed without printing what a Location can carry: a relative path (an
    // API key in its query), or an absolute URL's credentials and path. A 3xx without Location says "nowhere".
    [Theory]
    [InlineData("/elsewhere?apikey=" + Canary, "redirecting to a path on the same host")]
    [InlineData("https://user:" + Canary + "@evil.example:8443/" + Canary + "?k=" + Canary, "redirecting to https://evil.example:8443")]
    [InlineData(null, "redirecting to nowhere")]
    public async Task JsonRpcClient_Redirect_NamesTheTargetWithoutItsPathQueryOrCredentials(string? location, string expected)
    {
        using var server = new ScriptedHttpServer();
        if (location is null) server.Text("/rpc", "", "text/plain", 302);
        else server.Redirect("/rpc", location, 302);
        using var rpc = new JsonRpcClient(new Uri(server.Url, "/rpc"), maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => rpc.ChainIdAsync());

        Assert.Equal(ErrorIds.UnexpectedRedirect, error.ErrorId);
        Assert.Contains(expected + ";", error.Message);
        Assert.DoesNotContain(Canary, error.Message + error.Target + error.RecommendedAction);
    }

    [Fact]
    public async Task JsonRpcClient_EndlessAnswer_ResponseTooLargeAfter16MiB()
    {
        using var server = new ScriptedHttpServer();
        server.Flood("/rpc", TransportPolicy.MaxApiAnswerBytes + (1 << 20));
        using var rpc = new JsonRpcClient(new Uri(server.Url, "/rpc"), maxRetries: 0);

        var error = await Assert.ThrowsAsync<IExecException>(() => rpc.BlockNumberAsync());

        Assert.Equal(ErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Equal(IExecErrorCategory.LimitsExceeded, error.Category);
    }

    [Fact]
    public async Task MarketClient_RedirectOrEndlessAnswer_UnexpectedRedirectOrResponseTooLarge()
    {
        using var server = new ScriptedHttpServer();
        server.Redirect("/redirecting/apporders", new Uri(server.Url, "/login").ToString())
            .Text("/login", """{"ok":true,"orders":[],"count":0}""", "application/json")
            .Flood("/flooding/apporders", TransportPolicy.MaxApiAnswerBytes + (1 << 20));
        var query = new AppOrderQuery { App = EthAddress.Parse("0x0123456789abcdef0123456789abcdef01234567"), ChainId = 65535 };
        using var redirecting = new MarketClient(new Uri(server.Url, "/redirecting/"), maxRetries: 0);
        using var flooding = new MarketClient(new Uri(server.Url, "/flooding/"), maxRetries: 0);

        var redirected = await Assert.ThrowsAsync<IExecException>(() => redirecting.GetAppOrdersAsync(query));
        var flooded = await Assert.ThrowsAsync<IExecException>(() => flooding.GetAppOrdersAsync(query));

        Assert.Equal(ErrorIds.UnexpectedRedirect, redirected.ErrorId);
        Assert.Equal(0, server.HitsOn("/login"));
        Assert.Equal(ErrorIds.ResponseTooLarge, flooded.ErrorId);
    }

    [Theory]
    [InlineData("tcp://docker.example:2375")]
    [InlineData("tcp://10.0.0.5:2375")]
    [InlineData("http://docker.example:2375")]
    public void DockerRequireTls_RemoteTcpWithoutTlsVerify_InsecureDockerEndpoint(string endpoint)
    {
        var error = Assert.Throws<IExecException>(() => DockerEngine.RequireTls(new Uri(endpoint), null, null));

        Assert.Equal(ErrorIds.InsecureDockerEndpoint, error.ErrorId);
        Assert.Equal(IExecErrorCategory.SecurityError, error.Category);
    }

    [Fact]
    public void DockerRequireTls_LoopbackOrSocketOrTlsVerify_AcceptedWithTheCertificateFolder()
    {
        Assert.Null(DockerEngine.RequireTls(new Uri("tcp://127.0.0.1:2375"), null, null));
        Assert.Null(DockerEngine.RequireTls(new Uri("unix:///var/run/docker.sock"), null, null));
        Assert.Equal("/certs", DockerEngine.RequireTls(new Uri("tcp://docker.example:2376"), "1", "/certs"));
        Assert.EndsWith(".docker", DockerEngine.RequireTls(new Uri("tcp://docker.example:2376"), "1", null));
    }

    [Fact]
    public async Task DockerConnect_RemoteTcpWithoutTls_RefusedBeforeAnyConnection()
    {
        // docker.invalid never resolves: a refusal other than InsecureDockerEndpoint would mean a connection was tried.
        var error = await Assert.ThrowsAsync<IExecException>(() => DockerEngine.ConnectAsync("tcp://user:pw@docker.invalid:2375", default));

        Assert.Equal(ErrorIds.InsecureDockerEndpoint, error.ErrorId);
        Assert.DoesNotContain("pw", error.Message);
    }

    [Fact]
    public async Task DockerConnect_TlsVerifyWithoutCertificates_InsecureDockerEndpoint()
    {
        var empty = Directory.CreateTempSubdirectory("docker-certs-").FullName;
        try
        {
            var folder = DockerEngine.RequireTls(new Uri("tcp://docker.invalid:2376"), "1", empty)!;
            Assert.Equal(empty, folder);
            var error = await Assert.ThrowsAsync<IExecException>(() => ConnectWithTlsAsync(empty));
            Assert.Equal(ErrorIds.InsecureDockerEndpoint, error.ErrorId);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    // DOCKER_TLS_VERIFY and DOCKER_CERT_PATH are read from the environment by ConnectAsync; set them for this call only.
    private static async Task ConnectWithTlsAsync(string certPath)
    {
        var verify = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY");
        var path = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH");
        Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", "1");
        Environment.SetEnvironmentVariable("DOCKER_CERT_PATH", certPath);
        try
        {
            using var engine = await DockerEngine.ConnectAsync("tcp://docker.invalid:2376", default);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_TLS_VERIFY", verify);
            Environment.SetEnvironmentVariable("DOCKER_CERT_PATH", path);
        }
    }

    private static int ClosedPort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
