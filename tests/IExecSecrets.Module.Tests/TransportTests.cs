namespace IExecSecrets.Module.Tests;

/// <summary>
/// The transport rule through the cmdlets: plain http to a host that is not loopback is refused for the RPC node, the
/// market and the IPFS gateway before any connection unless -AllowInsecureHttp; a tcp:// Docker engine off loopback
/// needs TLS; URLs with credentials, API-key paths or queries are never printed. The "remote" host is this machine's own
/// non-loopback address (say 192.0.2.2 on eth0), where a raw server counts connections: the rule sees it as remote, a
/// refused call must leave the count at zero, and with -AllowInsecureHttp the request really arrives there. No packet
/// leaves this machine.
/// </summary>
public sealed class TransportTests
{
    private const string Canary = "CANARY-url-secret-41d7";
    private const string App = "0x1111111111111111111111111111111111111111";
    private static readonly string Id = "0x" + new string('a', 64);

    public static TheoryData<string, string, string> RemoteHttpCalls() => new()
    {
        { $"Get-IExecApp {App}", "InsecureRpcUrl", "GetIExecAppCommand" },
        { $"Get-IExecTask {Id}", "InsecureRpcUrl", "GetIExecTaskCommand" },
        { $"Get-IExecDeal {Id}", "InsecureRpcUrl", "GetIExecDealCommand" },
        { $"Wait-IExecTask -DealId {Id}", "InsecureRpcUrl", "WaitIExecTaskCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Force", "InsecureRpcUrl", "InvokeIExecAppCommand" },
        { $"Get-IExecAppOrder {App}", "InsecureMarketUrl", "GetIExecAppOrderCommand" },
        { "Get-IExecWorkerpoolOrder", "InsecureMarketUrl", "GetIExecWorkerpoolOrderCommand" },
        { $"Publish-IExecAppOrder {App} -Confirm:$false", "InsecureMarketUrl", "PublishIExecAppOrderCommand" },
        { $"Save-IExecTaskResult {Id}", "InsecureGatewayUrl", "SaveIExecTaskResultCommand" },
        { $"Get-IExecTaskLog {Id}", "InsecureRpcUrl", "GetIExecTaskLogCommand" },
    };

    // Issue 17: the counter is asserted (main's never was, and its .invalid host could never have been reached).
    [NonLoopbackTheory]
    [MemberData(nameof(RemoteHttpCalls))]
    public void PlainHttpOffLoopback_RefusedWithItsIdBeforeAnyConnection(string script, string errorId, string command)
    {
        using var endpoint = new RawHttpServer(LocalAddresses.NonLoopback);
        using var host = new ModuleHost(location: Project(endpoint.Url.ToString().TrimEnd('/')));
        host.ConnectTestWallet();

        var result = host.Run(script);

        var error = result.SingleError();
        Assert.Equal($"{errorId},IExecSecrets.Commands.{command}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal(0, endpoint.Connections);
    }

    [NonLoopbackTheory]
    [MemberData(nameof(RemoteHttpCalls))]
    public void PlainHttpOffLoopback_WithAllowInsecureHttp_TheRequestLeaves(string script, string errorId, string command)
    {
        using var endpoint = new RawHttpServer(LocalAddresses.NonLoopback);
        using var host = new ModuleHost(location: Project(endpoint.Url.ToString().TrimEnd('/')));
        host.ConnectTestWallet();

        var result = host.Run(script + " -AllowInsecureHttp");

        Assert.DoesNotContain(result.AllErrors, e => e.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal));
        // The request left and reached the "remote" host (which answers 404 to everything).
        Assert.True(endpoint.Connections > 0, $"{command}: the request did not leave: " + string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId + " " + e)));
    }

    [Fact]
    public void UrlsWithCredentialsPathAndQuery_NeverPrintedInAnyStreamErrorOrOutput()
    {
        var closed = LoopbackPorts.Closed();
        var url = $"http://user:{Canary}@127.0.0.1:{closed}/v3/{Canary}?apikey={Canary}";
        using var host = new ModuleHost(location: Project(url));
        host.ConnectTestWallet();
        var scripts = new[]
        {
            "Get-IExecChain",
            $"Get-IExecApp {App}",
            $"Get-IExecTask {Id}",
            $"Get-IExecAppOrder {App}",
            $"Save-IExecTaskResult {Id} -WhatIf",
            $"Save-IExecTaskResult {Id}",
            $"Invoke-IExecApp {App} -Tag tee,scone -Force",
            "Push-IExecRequesterSecret x1 -Value $v",
            "Test-IExecRequesterSecret x1",
            $"Test-IExecAppSecret {App}",
            $"Push-IExecRequesterSecret x1 -Value $v -SmsUrl 'ht!tp://user:{Canary}@x/{Canary}'",
        };

        foreach (var script in scripts)
        {
            var result = host.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + script + " -Verbose", Value());
            // Each script must really run its cmdlet: a typo would make the canary check vacuous.
            Assert.DoesNotContain(result.AllErrors, e => e.Exception is CommandNotFoundException or ParameterBindingException);
            AssertNoCanary(result, script);
        }

        var chain = (IExecChain)host.Run("Get-IExecChain remote").ThrowIfFailed().Output.Single().BaseObject;
        Assert.Equal($"http://127.0.0.1:{closed}", chain.Host);
    }

    [Fact]
    public void ChainJsonWithAMalformedSmsUrl_InvalidChainConfigWithoutTheUrlSecret()
    {
        var folder = Project("https://node.example");
        var chainJson = Path.Combine(folder, "chain.json");
        File.WriteAllText(chainJson, File.ReadAllText(chainJson).Replace("\"scone\":\"https://node.example\"", $"\"scone\":\"ftp://user:{Canary}@sms.example/{Canary}\"", StringComparison.Ordinal));
        using var host = new ModuleHost(location: folder);
        host.ConnectTestWallet();

        var result = host.Run("Push-IExecRequesterSecret x1 -Value $v -Verbose", Value());

        Assert.StartsWith("InvalidChainConfig,", result.SingleError().FullyQualifiedErrorId);
        Assert.Contains("ftp://sms.example", result.SingleError().ErrorDetails?.Message ?? result.SingleError().Exception.Message);
        AssertNoCanary(result, "malformed sms URL");
    }

    [Fact]
    public void EnclaveRun_TcpDockerEngineOffLoopbackWithoutTls_InsecureDockerEndpointBeforeAnyConnection()
    {
        using var host = new ModuleHost();
        var output = Directory.CreateTempSubdirectory("iexec-transport-").FullName;

        var result = host.Run($"Invoke-IExecEnclaveApp -Image alpine:3 -OutputPath '{output}' -DockerHost 'tcp://user:{Canary}@docker.invalid:2375'");

        var error = result.SingleError();
        Assert.Equal("InsecureDockerEndpoint,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        AssertNoCanary(result, "Invoke-IExecEnclaveApp");
    }

    private static Dictionary<string, object?> Value() => new() { ["v"] = ModuleHost.Secure("value") };

    // A chain "remote" (id 65535) whose RPC node, SMS, market, IPFS gateway and result proxy are all `url`.
    private static string Project(string url)
    {
        var folder = Directory.CreateTempSubdirectory("iexec-transport-").FullName;
        File.WriteAllText(Path.Combine(folder, "chain.json"), """
            {"default":"remote","chains":{"remote":{"id":"65535","host":"URL","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f",
             "sms":{"scone":"URL","gramine":"URL","tdx":"URL"},"iexecGateway":"URL","ipfsGateway":"URL","resultProxy":"URL"}}}
            """.Replace("URL", url, StringComparison.Ordinal));
        return folder;
    }

    private static void AssertNoCanary(RunResult result, string script)
    {
        var texts = new List<string?>();
        texts.AddRange(result.Output.Select(o => o.ToString()));
        texts.AddRange(result.Output.SelectMany(o => o.Properties.Select(p => p.Value is System.Collections.IDictionary d
            ? string.Join(" ", d.Values.Cast<object>())
            : p.Value?.ToString())));
        texts.AddRange(result.Verbose);
        texts.AddRange(result.Debug);
        texts.AddRange(result.Warning);
        texts.AddRange(result.Information);
        foreach (var error in result.AllErrors)
        {
            texts.Add(error.ToString());
            texts.Add(error.TargetObject?.ToString());
            texts.Add(error.ErrorDetails?.Message);
            texts.Add(error.ErrorDetails?.RecommendedAction);
            for (var ex = error.Exception; ex is not null; ex = ex.InnerException)
            {
                texts.Add(ex.Message);
            }
        }

        Assert.All(texts, text => Assert.False(text?.Contains(Canary, StringComparison.Ordinal) ?? false, $"URL secret printed by: {script}: {text}"));
    }
}
