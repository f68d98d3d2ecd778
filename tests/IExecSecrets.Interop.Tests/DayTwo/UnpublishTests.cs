using System.Globalization;
using System.Net.Http.Headers;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// Unpublish-IExecAppOrder, -DatasetOrder and -WorkerpoolOrder against the devnet market (the market's PUT behind its
/// login challenge), with the iexec CLI 8.24 as the oracle of the order book (<c>orderbook app/dataset</c>) and as the
/// other client (<c>app unpublish</c>). An unpublished order is no longer offered to runs; a revoked one can no longer
/// be matched by anyone (the real hub refuses it), while one only unpublished still can: unpublishing hides.
/// </summary>
[Collection(DayTwoCollection.Name)]
public sealed class UnpublishTests(DayTwoDevNetFixture fixture)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task AppOrders_UnpublishedByHashLastAndAll_LeaveTheCliOrderbook_AndARunFindsNone()
    {
        var developer = Net.Accounts[1];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var published = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; $script:orders = 1..4 | ForEach-Object { Publish-IExecAppOrder -App $app -Tag tee,scone -Volume $_ -Confirm:$false }; $orders",
            new() { ["k"] = DeployProofTests.Secure(developer), ["app"] = app.ToString() });
        Assert.True(published.AllErrors.Count == 0, string.Join(" | ", published.AllErrors));
        var hashes = published.Output.Select(o => ((IExecOrder)o.BaseObject).OrderHash!).ToList();
        Assert.Equal(hashes.OrderBy(h => h), (await CliAppOrderbookAsync(app)).OrderBy(h => h));
        var writes = Net.Market.WriteRequestCount;

        var whatIf = session.Run("$orders[0] | Unpublish-IExecAppOrder -WhatIf", new());
        Assert.Equal(writes, Net.Market.WriteRequestCount);
        var byHash = session.Run("$orders[0] | Unpublish-IExecAppOrder -Confirm:$false", new());
        var afterHash = await CliAppOrderbookAsync(app);
        var last = session.Run("Unpublish-IExecAppOrder -App $app -Confirm:$false", new() { ["app"] = app.ToString() });
        var afterLast = await CliAppOrderbookAsync(app);
        var all = session.Run("Unpublish-IExecAppOrder -App $app -All -Confirm:$false", new() { ["app"] = app.ToString() });
        var afterAll = await CliAppOrderbookAsync(app);
        var again = session.Run("$orders[0] | Unpublish-IExecAppOrder -Confirm:$false", new());
        // Another requester (the owner would sign its own app order) finds no order of the app on the market.
        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Invoke-IExecApp -App $app -Tag tee,scone -WhatIf",
            new() { ["k"] = DeployProofTests.Secure(Net.Accounts[8]), ["app"] = app.ToString() });

        Assert.Empty(whatIf.AllErrors);
        Assert.True(byHash.AllErrors.Count + last.AllErrors.Count + all.AllErrors.Count == 0, string.Join(" | ", byHash.AllErrors.Concat(last.AllErrors).Concat(all.AllErrors)));
        var first = Assert.IsType<IExecOrderUnpublication>(Assert.Single(byHash.Output).BaseObject);
        Assert.Equal(("apporder", hashes[0], (string?)null), (first.Kind, first.OrderHash, first.Resource));
        Assert.Equal(hashes.Skip(1).OrderBy(h => h), afterHash.OrderBy(h => h));
        // The last one published (volume 4) goes first, then the two left.
        Assert.Equal(hashes[3], ((IExecOrderUnpublication)Assert.Single(last.Output).BaseObject).OrderHash);
        Assert.Equal(hashes.Skip(1).Take(2).OrderBy(h => h), afterLast.OrderBy(h => h));
        Assert.Equal(hashes.Skip(1).Take(2).OrderBy(h => h), all.Output.Select(o => ((IExecOrderUnpublication)o.BaseObject).OrderHash).OrderBy(h => h));
        Assert.Empty(afterAll);
        Assert.Equal("NoAppOrder,IExecSecrets.Commands.InvokeIExecAppCommand", Assert.Single(run.AllErrors).FullyQualifiedErrorId);
        var refused = Assert.Single(again.AllErrors);
        Assert.Equal("UnpublishRefused,IExecSecrets.Commands.UnpublishAppOrderCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("is not published", refused.Exception.Message);
    }

    [Fact]
    public async Task UnpublishedOrder_CanStillBeMatchedOnChain_ButOnceRevokedTheHubRefusesIt()
    {
        var developer = Net.Accounts[1];
        var requester = Net.Accounts[8];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        var hidden = await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 0, volume: 5);
        var revoked = await DayTwo.PublishAppOrderAsync(Net, developer, app, price: 0, volume: 5);
        var domain = Eip712Domain.ForHub(Net.ChainId, Net.Hub);
        using var session = new ModuleHost(location: DayTwo.Project(Net));

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Unpublish-IExecAppOrder -App $app -All -Confirm:$false; Revoke-IExecOrder -Order $o -Confirm:$false",
            new() { ["k"] = DeployProofTests.Secure(developer), ["app"] = app.ToString(), ["o"] = AnyOrder.Of(revoked).ToJson(withSignature: true) });
        Assert.True(run.AllErrors.Count == 0, string.Join(" | ", run.AllErrors));

        // Whoever kept the signed orders matches them directly on the hub.
        var stillValid = await MatchAsync(hidden, requester, domain);
        var refused = await Record.ExceptionAsync(() => MatchAsync(revoked, requester, domain));

        Assert.True(stillValid.Succeeded);
        Assert.Equal(ErrorIds.TransactionReverted, Assert.IsAssignableFrom<IExecException>(refused).ErrorId);
        Assert.Equal(revoked.Volume, await new PoCoHub(Net.Rpc, Net.Hub).ViewConsumedAsync(revoked.Hash(domain)));
    }

    [Fact]
    public async Task CliAppUnpublish_HidesTheOrderFromGetIExecAppOrder_AndModuleUnpublishHidesItFromTheCli()
    {
        var developer = Net.Accounts[1];
        var app = await DayTwo.DeployAppAsync(Net, developer);
        var project = await DayTwo.CliProjectAsync(Net, developer.PrivateKeyHex);
        var cliPublished = JsonNode.Parse(await DayTwo.Cli(false, project, "app", "publish", app.ToString(), "--tag", "tee,scone", "--volume", "3", "--chain", "devnet", "--force"))!["orderHash"]!.GetValue<string>();
        using var session = new ModuleHost(location: project);
        var before = session.Run("Get-IExecAppOrder -App $app", new() { ["app"] = app.ToString() });

        await DayTwo.Cli(false, project, "app", "unpublish", app.ToString(), "--chain", "devnet", "--force");
        var after = session.Run("Get-IExecAppOrder -App $app", new() { ["app"] = app.ToString() });
        var modulePublished = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; (Publish-IExecAppOrder -App $app -Tag tee,scone -Confirm:$false).OrderHash",
            new() { ["k"] = DeployProofTests.Secure(developer), ["app"] = app.ToString() });
        var listed = await CliAppOrderbookAsync(app);
        session.Run("Unpublish-IExecAppOrder -OrderHash $h -Confirm:$false", new() { ["h"] = modulePublished.Output.Single().BaseObject });
        var listedAfter = await CliAppOrderbookAsync(app);

        Assert.Equal(cliPublished, ((IExecOrder)Assert.Single(before.Output).BaseObject).OrderHash);
        Assert.Empty(after.Output);
        Assert.Equal([(string)modulePublished.Output.Single().BaseObject], listed);
        Assert.Empty(listedAfter);
    }

    [Fact]
    public async Task WorkerpoolAndDatasetOrders_AreUnpublishedOnTheSameCodePath()
    {
        var scheduler = Net.Accounts[2];
        var owner = Net.Accounts[6];
        var domain = Eip712Domain.ForHub(Net.ChainId, Net.Hub);
        var extra = new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 7, Tag = OrderTag.Parse("tee,scone"), Category = 1, Salt = OrderSalt.New() }.SignWith(scheduler, domain);
        var extraHash = await Net.Market.PublishAsync(extra);
        var dataset = await DeployDatasetAsync(owner);
        var datasetHashes = new List<string>();
        for (var i = 0; i < 2; i++) datasetHashes.Add(await PublishDatasetOrderAsync(owner, dataset));
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        Assert.Equal(datasetHashes.OrderBy(h => h), (await CliDatasetOrderbookAsync(dataset)).OrderBy(h => h));

        var pool = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Unpublish-IExecWorkerpoolOrder -OrderHash $h -Confirm:$false; Get-IExecWorkerpoolOrder -Workerpool $w -Category 1 -All",
            new() { ["k"] = DeployProofTests.Secure(scheduler), ["h"] = extraHash, ["w"] = Net.Workerpool.ToString() });
        var data = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Unpublish-IExecDatasetOrder -Dataset $d -All -Confirm:$false",
            new() { ["k"] = DeployProofTests.Secure(owner), ["d"] = dataset.ToString() });

        Assert.True(pool.AllErrors.Count + data.AllErrors.Count == 0, string.Join(" | ", pool.AllErrors.Concat(data.AllErrors)));
        var unpublished = Assert.IsType<IExecOrderUnpublication>(pool.Output[0].BaseObject);
        Assert.Equal(("workerpoolorder", extraHash), (unpublished.Kind, unpublished.OrderHash));
        Assert.DoesNotContain(pool.Output.Skip(1), o => ((IExecOrder)o.BaseObject).OrderHash == extraHash);
        Assert.Equal(datasetHashes.OrderBy(h => h), data.Output.Select(o => ((IExecOrderUnpublication)o.BaseObject).OrderHash).OrderBy(h => h));
        Assert.All(data.Output, o => Assert.Equal(("datasetorder", dataset.ToString()), (((IExecOrderUnpublication)o.BaseObject).Kind, ((IExecOrderUnpublication)o.BaseObject).Resource)));
        Assert.Empty(await CliDatasetOrderbookAsync(dataset));
        // The devnet's standing workerpool order is untouched.
        using var market = new MarketClient(Net.Market.Url);
        var book = await market.GetWorkerpoolOrdersAsync(new WorkerpoolOrderQuery { ChainId = Net.ChainId, Workerpool = Net.Workerpool, Category = 0, MinTag = OrderTag.Parse("tee,scone") });
        Assert.Contains(book.Orders, o => o.OrderHash == Net.WorkerpoolOrderHash);
    }

    private async Task<List<string>> CliAppOrderbookAsync(EthAddress app)
    {
        var folder = DayTwo.Project(Net);
        var shown = JsonNode.Parse(await DayTwo.Cli(false, folder, "orderbook", "app", app.ToString(), "--tag", "tee,scone", "--chain", "devnet"))!;
        DayTwo.DeleteQuietly(folder);
        return shown["appOrders"]!.AsArray().Select(o => o!["orderHash"]!.GetValue<string>()).ToList();
    }

    private async Task<List<string>> CliDatasetOrderbookAsync(EthAddress dataset)
    {
        var folder = DayTwo.Project(Net);
        var shown = JsonNode.Parse(await DayTwo.Cli(false, folder, "orderbook", "dataset", dataset.ToString(), "--chain", "devnet"))!;
        DayTwo.DeleteQuietly(folder);
        return shown["datasetOrders"]!.AsArray().Select(o => o!["orderHash"]!.GetValue<string>()).ToList();
    }

    // A request order of the requester's own, matched with the given app order and a fresh order of the devnet pool.
    private Task<Receipt> MatchAsync(AppOrder appOrder, DevNetAccount requester, Eip712Domain domain)
    {
        var pool = new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 1, Tag = appOrder.Tag, Salt = OrderSalt.New() }.SignWith(Net.Accounts[2], domain);
        var request = new RequestOrder
        {
            App = appOrder.App, Workerpool = Net.Workerpool, Requester = requester.Address, Volume = 1, Tag = appOrder.Tag, Beneficiary = requester.Address,
            Params = "{\"iexec_args\":\"daytwo\"}", Salt = OrderSalt.New(),
        }.SignWith(requester, domain);
        return Net.CreateSender(requester).SendAsync(Net.Hub, PoCoHub.EncodeMatchOrders(appOrder.ToMatchOrdersTuple(), DatasetOrder.Null.ToMatchOrdersTuple(),
            pool.ToMatchOrdersTuple(), request.ToMatchOrdersTuple()));
    }

    private async Task<EthAddress> DeployDatasetAsync(DevNetAccount owner)
    {
        var registry = await new PoCoHub(Net.Rpc, Net.Hub).DatasetRegistryAsync();
        var name = "daytwo-dataset-" + Guid.NewGuid().ToString("N")[..8];
        var receipt = await Net.CreateSender(owner).SendAsync(registry, Abi.EncodeCall("createDataset(address,string,bytes,bytes32)",
            owner.Address, name, Encoding.UTF8.GetBytes("https://datasets.example/" + name), Keccak256.HashUtf8(name)));
        // The registry mints the dataset as an ERC-721 token whose id is the dataset's address.
        var minted = receipt.LogsOf(EventTopics.Transfer, registry).Single();
        return EthAddress.FromBytes(minted.Topics[3].AsSpan(12, 20));
    }

    // POST /datasetorders through the market's login, as the SDK's publishDatasetorder sends it.
    private async Task<string> PublishDatasetOrderAsync(DevNetAccount owner, EthAddress dataset)
    {
        var domain = Eip712Domain.ForHub(Net.ChainId, Net.Hub);
        var order = new DatasetOrder { Dataset = dataset, Volume = 3, Tag = OrderTag.Parse("tee,scone"), Salt = OrderSalt.New() }.SignWith(owner, domain);
        using var market = new MarketClient(Net.Market.Url);
        var authorization = await market.AuthorizeAsync(Net.ChainId, owner);
        var body = new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["dataset"] = order.Dataset.ToString(), ["datasetprice"] = 0, ["volume"] = 3, ["tag"] = Hex.Encode(order.Tag),
                ["apprestrict"] = order.AppRestrict.ToString(), ["workerpoolrestrict"] = order.WorkerpoolRestrict.ToString(),
                ["requesterrestrict"] = order.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(order.Salt), ["sign"] = order.Sign,
            },
        };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Net.Market.Url, "datasetorders?chainId=" + Net.ChainId.ToString(CultureInfo.InvariantCulture)))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("authorization", authorization);
        using var response = await http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        return answer["published"]!["orderHash"]!.GetValue<string>();
    }
}
