using System.Net;
using IExecSecrets.Interop.Tests.Worker;

namespace IExecSecrets.Interop.Tests.Market;

/// <summary>
/// The dev market speaks iexec-market-api's login protocol: <c>GET /challenge</c> gives the market's EIP-712
/// Challenge, every publish and unpublish needs <c>authorization: hash_signature_address</c> (the stored hash, signed
/// by that address, the address owning the order, one use per challenge). The module's MarketClient and the official
/// iexec 8.24.0 and 9.0.1 CLIs publish against it.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DevMarketAuthTests(DevNetFixture fixture)
{
    private IExecSecrets.DevNet.DevNetEnvironment Net => fixture.Environment;

    private Uri Market => Net.Market.Url;

    private static JsonObject ToJson(AppOrder order) => new()
    {
        ["app"] = order.App.ToString(),
        ["appprice"] = order.AppPrice.ToString(),
        ["volume"] = order.Volume.ToString(),
        ["tag"] = Hex.Encode(order.Tag),
        ["datasetrestrict"] = order.DatasetRestrict.ToString(),
        ["workerpoolrestrict"] = order.WorkerpoolRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(),
        ["salt"] = Hex.Encode(order.Salt),
        ["sign"] = order.Sign,
    };

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonObject body, string? authorization)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(Market, path)) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("authorization", authorization);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<JsonNode> ChallengeAsync(EthAddress address)
    {
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync(new Uri(Market, $"/challenge?address={address}&chainId=134")))!;
    }

    [Fact]
    public async Task Challenge_IsTheMarketsTypedData_AndTheSameUntilUsed()
    {
        var address = Net.Accounts[5].Address;

        var first = await ChallengeAsync(address);
        var again = await ChallengeAsync(address);

        var text = first["data"]!["message"]!["challenge"]!.GetValue<string>();
        Assert.Matches("^Sign this message to log into iExec Gateway: [A-Za-z0-9]{32}$", text);
        var expected = "{\"ok\":true,\"data\":{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":\"string\"},"
            + "{\"name\":\"chainId\",\"type\":\"uint256\"}],\"Challenge\":[{\"name\":\"challenge\",\"type\":\"string\"}]},"
            + "\"domain\":{\"name\":\"iExec Gateway\",\"version\":\"1\",\"chainId\":\"134\"},\"primaryType\":\"Challenge\","
            + "\"message\":{\"challenge\":" + JsonSerializer.Serialize(text) + "}}}";
        Assert.Equal(expected, first.ToJsonString());
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal(text, MarketChallenge.Validate(JsonDocument.Parse(first["data"]!.ToJsonString()).RootElement, 134, Market.ToString()));
        Assert.NotEqual(text, (await ChallengeAsync(Net.Accounts[6].Address))["data"]!["message"]!["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_WithoutAValidAuthorization_Is403AndStoresNothing()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-auth:1.0.0", appSecret: null);
        var owner = harness.Developer;
        var body = new JsonObject { ["order"] = ToJson(new AppOrder { App = app, Volume = 1, Salt = OrderSalt.New() }.SignWith(owner, harness.Domain)) };
        var stranger = Net.Accounts[5];
        var valid = await DevMarketTests.AuthorizationAsync(Market, owner);
        var parts = valid.Split('_');
        var strangersOwn = (await DevMarketTests.AuthorizationAsync(Market, stranger)).Split('_');
        var before = Net.Market.PublishedCount;
        var refusedBefore = Net.Market.RefusedAuthorizationCount;

        string?[] attempts =
        [
            null,
            "garbage",
            // the owner's stored hash, signed by someone else
            $"{parts[0]}_{stranger.SignDigest(Hex.Decode(parts[0])).ToHex()}_{owner.Address}",
            // the stranger's own challenge, claimed for the owner's address
            $"{strangersOwn[0]}_{strangersOwn[1]}_{owner.Address}",
            // a hash the market never handed out, signed by the owner
            $"{Hex.Encode(new byte[32])}_{owner.SignDigest(new byte[32]).ToHex()}_{owner.Address}",
            // the right hash and signature, another address
            $"{parts[0]}_{parts[1]}_{stranger.Address}",
        ];
        foreach (var authorization in attempts)
        {
            var (status, answer) = await SendAsync(HttpMethod.Post, "/apporders?chainId=134", body.DeepClone().AsObject(), authorization);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("{\"ok\":false,\"error\":\"invalid authorization\"}", answer.ToJsonString());
        }
        Assert.Equal(before, Net.Market.PublishedCount);
        Assert.Equal(refusedBefore + attempts.Length, Net.Market.RefusedAuthorizationCount);

        // The genuine authorization still works once (the refusals did not spend it), then never again.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/apporders?chainId=134", body.DeepClone().AsObject(), valid)).Status);
        var replay = new JsonObject { ["order"] = ToJson(new AppOrder { App = app, Volume = 2, Salt = OrderSalt.New() }.SignWith(owner, harness.Domain)) };
        var (replayStatus, replayAnswer) = await SendAsync(HttpMethod.Post, "/apporders?chainId=134", replay, valid);
        Assert.Equal(HttpStatusCode.Forbidden, replayStatus);
        Assert.Equal("invalid authorization", replayAnswer["error"]!.GetValue<string>());
        Assert.Equal(before + 1, Net.Market.PublishedCount);

        // A valid login of someone who does not own the app cannot publish the owner's order.
        var (otherStatus, otherAnswer) = await SendAsync(HttpMethod.Post, "/apporders?chainId=134", replay.DeepClone().AsObject(),
            await DevMarketTests.AuthorizationAsync(Market, stranger));
        Assert.Equal(HttpStatusCode.Forbidden, otherStatus);
        Assert.Equal($"only order signer {owner.Address} can publish an order", otherAnswer["error"]!.GetValue<string>());
        Assert.Equal(before + 1, Net.Market.PublishedCount);
    }

    [Fact]
    public async Task Unpublish_NeedsTheSignersAuthorization_AndTakesTheOrderOffTheBook()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-unpublish:1.0.0", appSecret: null);
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        using var market = new MarketClient(Market);
        var order = new AppOrder { App = app, Volume = 3, Salt = OrderSalt.New() }.SignWith(harness.Developer, harness.Domain);
        var hash = await market.PublishAppOrderAsync(order, chain.ChainId, harness.Developer, Hex.Encode(order.Hash(harness.Domain)));
        var cancel = new JsonObject { ["target"] = "unpublish_orderHash", ["orderHash"] = hash };

        var (unauthenticated, _) = await SendAsync(HttpMethod.Put, "/apporders?chainId=134", cancel.DeepClone().AsObject(), null);
        var (stranger, strangerAnswer) = await SendAsync(HttpMethod.Put, "/apporders?chainId=134", cancel.DeepClone().AsObject(),
            await DevMarketTests.AuthorizationAsync(Market, Net.Accounts[5]));
        var stillListed = (await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders?app={app}&chainId=134"))).Contains(hash, StringComparison.Ordinal);
        var (owner, ownerAnswer) = await SendAsync(HttpMethod.Put, "/apporders?chainId=134", cancel.DeepClone().AsObject(),
            await DevMarketTests.AuthorizationAsync(Market, harness.Developer));
        var book = JsonNode.Parse(await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders?app={app}&chainId=134")))!;
        var one = JsonNode.Parse(await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders/{hash}?chainId=134")))!;

        Assert.Equal(HttpStatusCode.Forbidden, unauthenticated);
        Assert.Equal(HttpStatusCode.Forbidden, stranger);
        Assert.Equal($"only order signer {harness.Developer.Address} can unpublish an order", strangerAnswer["error"]!.GetValue<string>());
        Assert.True(stillListed);
        Assert.Equal(HttpStatusCode.OK, owner);
        Assert.Equal($"{{\"ok\":true,\"unpublished\":[\"{hash}\"]}}", ownerAnswer.ToJsonString());
        Assert.Equal(0, book["count"]!.GetValue<int>());
        Assert.Equal("canceled", one["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task IExecCli824_PublishesAndUnpublishesAgainstTheChallengeProtocol()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-cli8:1.0.0", appSecret: null);
        var work = WorkDirectory(File.ReadAllText(Net.ChainJsonPath));
        var authorizedBefore = Net.Market.RefusedAuthorizationCount;

        // `iexec app publish`: the CLI builds, signs and publishes the order in one go.
        var published = await IExecCli.RunAsync(work, "app", "publish", app.ToString(), "--price", "0", "--volume", "3", "--tag", "tee,scone",
            "--force", "--skip-preflight-check", "--chain", "devnet");
        // `iexec order init/sign/publish --app`: the order from iexec.json, signed to orders.json, then published.
        // (`iexec init` rewrites chain.json with the built-in chains, so the devnet's is put back after it.)
        var projectInit = await IExecCli.RunAsync(work, "init", "--skip-wallet");
        Assert.True(projectInit.ExitCode == 0, projectInit.StdErr + projectInit.StdOut);
        await File.WriteAllTextAsync(Path.Combine(work, "chain.json"), File.ReadAllText(Net.ChainJsonPath));
        await File.WriteAllTextAsync(Path.Combine(work, "deployed.json"), $"{{\"app\":{{\"134\":\"{app}\"}}}}");
        var init = await IExecCli.RunAsync(work, "order", "init", "--app", "--chain", "devnet");
        var sign = await IExecCli.RunAsync(work, "order", "sign", "--app", "--skip-preflight-check", "--chain", "devnet");
        var publishedSigned = await IExecCli.RunAsync(work, "order", "publish", "--app", "--force", "--skip-preflight-check", "--chain", "devnet");
        var unpublished = await IExecCli.RunAsync(work, "app", "unpublish", app.ToString(), "--all", "--force", "--chain", "devnet");

        Assert.True(published.ExitCode == 0, published.StdErr + published.StdOut);
        Assert.True(init.ExitCode == 0, init.StdErr + init.StdOut);
        Assert.True(sign.ExitCode == 0, sign.StdErr + sign.StdOut);
        Assert.True(publishedSigned.ExitCode == 0, publishedSigned.StdErr + publishedSigned.StdOut);
        Assert.True(unpublished.ExitCode == 0, unpublished.StdErr + unpublished.StdOut);
        var firstHash = JsonNode.Parse(published.StdOut)!["orderHash"]!.GetValue<string>();
        var secondHash = JsonNode.Parse(publishedSigned.StdOut)!["apporder"]!["orderHash"]!.GetValue<string>();
        var removed = JsonNode.Parse(unpublished.StdOut)!["unpublished"]!.AsArray().Select(h => h!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { firstHash, secondHash }, removed);
        foreach (var hash in new[] { firstHash, secondHash })
        {
            var one = JsonNode.Parse(await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders/{hash}?chainId=134")))!;
            Assert.Equal(harness.Developer.Address.ToString(), one["signer"]!.GetValue<string>());
            Assert.Equal("canceled", one["status"]!.GetValue<string>());
        }
        Assert.Equal(authorizedBefore, Net.Market.RefusedAuthorizationCount);
    }

    [Fact]
    public async Task IExecCli901_PublishesAndUnpublishesAgainstTheChallengeProtocol()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-cli9:1.0.0", appSecret: null);
        var work = WorkDirectory(IExecCli.ChainJsonFor9(File.ReadAllText(Net.ChainJsonPath)));

        var published = await IExecCli.Run9Async(work, "app", "publish", app.ToString(), "--price", "0", "--volume", "2",
            "--force", "--skip-preflight-check", "--chain", "devnet");
        Assert.True(published.ExitCode == 0, published.StdErr + published.StdOut);
        var hash = JsonNode.Parse(published.StdOut)!["orderHash"]!.GetValue<string>();
        var listed = JsonNode.Parse(await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders/{hash}?chainId=134")))!;
        var unpublished = await IExecCli.Run9Async(work, "app", "unpublish", app.ToString(), "--force", "--chain", "devnet");

        Assert.Equal("open", listed["status"]!.GetValue<string>());
        Assert.Equal(harness.Developer.Address.ToString(), listed["signer"]!.GetValue<string>());
        Assert.True(unpublished.ExitCode == 0, unpublished.StdErr + unpublished.StdOut);
        Assert.Equal(hash, JsonNode.Parse(unpublished.StdOut)!["unpublished"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishIExecAppOrder_SignsTheChallengeAndPublishes_AndAHostileChallengeIsRefused()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-module:1.0.0", appSecret: null);
        var work = WorkDirectory(File.ReadAllText(Net.ChainJsonPath));
        using var module = new ModuleHost(location: work);
        var key = ModuleHost.Secure(harness.Developer.PrivateKeyHex);

        var ok = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Publish-IExecAppOrder -App $app -Volume 2 -Confirm:$false",
            new Dictionary<string, object?> { ["k"] = key, ["app"] = app.ToString() });

        Assert.True(ok.AllErrors.Count == 0, string.Join(" | ", ok.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        var order = Assert.IsType<IExecSecrets.Output.IExecOrder>(Assert.Single(ok.Output).BaseObject);
        var listed = JsonNode.Parse(await new HttpClient().GetStringAsync(new Uri(Market, $"/apporders/{order.OrderHash}?chainId=134")))!;
        Assert.Equal("open", listed["status"]!.GetValue<string>());

        // The same cmdlet against a market whose "challenge" is a PoCo request order under the hub's domain.
        using var hostile = new HostileMarket { Challenge = HostileMarket.RequestOrderChallenge(Net.Hub, 134) };
        var chainJson = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        chainJson["chains"]!["devnet"]!["iexecGateway"] = hostile.Url.ToString().TrimEnd('/');
        var hostileWork = WorkDirectory(chainJson.ToJsonString());
        using var hostileModule = new ModuleHost(location: hostileWork);
        var refused = hostileModule.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Publish-IExecAppOrder -App $app -Volume 2 -Confirm:$false",
            new Dictionary<string, object?> { ["k"] = key, ["app"] = app.ToString() });

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("InvalidMarketChallenge,IExecSecrets.Commands.PublishIExecAppOrderCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal(0, hostile.WriteCount);
    }

    [Fact]
    public async Task PublishIExecAppOrder_RpcLiesAboutTheHubDomain_FailsHubDomainMismatchAndPublishesNothing()
    {
        var harness = new RunHarness(Net);
        var app = await harness.DeployAppAsync("docker.io/example/market-domain:1.0.0", appSecret: null);
        await using var proxy = await TestSupport.Doubles.HostileRpcProxy.StartAsync(Net.RpcUrl);
        proxy.Answer = call => Run.DomainLie.Answer(call, Net.ChainId, Net.Accounts[5].Address);
        var chainJson = JsonNode.Parse(File.ReadAllText(Net.ChainJsonPath))!;
        chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
        var work = WorkDirectory(chainJson.ToJsonString());
        using var module = new ModuleHost(location: work);
        var writes = Net.Market.WriteRequestCount;

        var run = module.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Publish-IExecAppOrder -App $app -Volume 2 -Confirm:$false",
            new Dictionary<string, object?> { ["k"] = ModuleHost.Secure(harness.Developer.PrivateKeyHex), ["app"] = app.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("HubDomainMismatch,IExecSecrets.Commands.PublishIExecAppOrderCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains($"verifying contract {Net.Accounts[5].Address}", error.Exception.Message);
        Assert.Empty(run.Output);
        Assert.Equal(writes, Net.Market.WriteRequestCount);
    }

    private static string WorkDirectory(string chainJson)
    {
        var work = Directory.CreateTempSubdirectory("iexec-market-auth-").FullName;
        File.WriteAllText(Path.Combine(work, "chain.json"), chainJson);
        using var developer = WalletKey.FromHex(DevNetAccountsKey(1));
        File.WriteAllText(Path.Combine(work, UnencryptedWallet.FileName), UnencryptedWallet.ToJson(developer));
        return work;
    }

    private static string DevNetAccountsKey(int index) => IExecSecrets.DevNet.Chain.DevNetAccount.All[index].PrivateKeyHex;
}
