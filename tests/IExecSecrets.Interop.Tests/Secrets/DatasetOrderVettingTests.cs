using System.Globalization;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Execution;
using IExecSecrets.Interop.Tests.Run;
using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.Secrets;

/// <summary>
/// Dataset orders from a market that lies, against the real devnet chain: a dataset order signed by someone who does not
/// own the dataset, one over-priced, one restricted to another app and one whose tag is outside the run's are refused
/// with their reason by the vetting app and workerpool orders go through (<see cref="OrderVetting.CheckDataset"/>); none
/// left fails NoAcceptableOrder with nothing signed; the owner's order after the bad ones is used and the deal made on
/// chain is for that dataset.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DatasetOrderVettingTests(DevNetFixture fixture)
{
    private static readonly byte[] TeeScone = OrderTag.Parse("tee,scone");

    private DevNetEnvironment Net => fixture.Environment;

    private DevNetAccount DatasetOwner => Net.Accounts[1];

    private DevNetAccount PoolOwner => Net.Accounts[2];

    private DevNetAccount Requester => Net.Accounts[3];

    private DevNetAccount Stranger => Net.Accounts[5];

    private Eip712Domain Domain => Eip712Domain.ForHub(Net.ChainId, Net.Hub);

    public static TheoryData<string, string> BadDatasetOrders => new()
    {
        { "signed by a non-owner", "not by the dataset owner" },
        { "over-priced", "its price 7 nRLC is above -DatasetMaxPrice (0 nRLC)" },
        { "restricted to another app", "it is restricted to app" },
        { "tag outside the run's", "is outside the requested tag" },
    };

    [Theory]
    [MemberData(nameof(BadDatasetOrders))]
    public async Task Plan_MarketAnswersOnlyABadDatasetOrder_FailsNoAcceptableOrderWithTheReason_AndSignsNothing(string kind, string reason)
    {
        var (app, dataset) = await DeployAsync();
        await using var market = await PagedHostileMarket.StartAsync();
        market.DatasetOrders.Add(Entry(Bad(kind, dataset)));
        market.WorkerpoolOrders.Add(Entry(GoodPoolOrder()));
        var (runner, context) = await LoadAsync(market, app, dataset);

        var error = await Assert.ThrowsAsync<IExecException>(() => runner.PrepareAsync(context));

        Assert.Equal(ErrorIds.NoAcceptableOrder, error.ErrorId);
        Assert.Contains("The market offered 1 dataset order(s) for " + dataset, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("Nothing was signed", error.RecommendedAction);
        Assert.Equal(0, market.WriteCount);
    }

    [Fact]
    public async Task Plan_BadDatasetOrdersBeforeTheOwners_SkipsEach_AndTheDealIsForThatDataset()
    {
        var (app, dataset) = await DeployAsync();
        await using var market = await PagedHostileMarket.StartAsync();
        foreach (var kind in new[] { "signed by a non-owner", "over-priced", "restricted to another app", "tag outside the run's" })
            market.DatasetOrders.Add(Entry(Bad(kind, dataset)));
        var good = new DatasetOrder { Dataset = dataset, Volume = 3, Tag = TeeScone, AppRestrict = app, Salt = OrderSalt.New() }.SignWith(DatasetOwner, Domain);
        market.DatasetOrders.Add(Entry(good));
        market.WorkerpoolOrders.Add(Entry(GoodPoolOrder()));
        var (runner, context) = await LoadAsync(market, app, dataset);

        var plan = runner.Sign(await runner.PrepareAsync(context), Requester);
        var deal = await runner.MatchAsync(plan, Requester);

        Assert.Equal("Market", plan.DatasetOrderSource);
        Assert.Equal(Hex.Encode(good.Hash(Domain)), Hex.Encode(plan.DatasetOrder.Hash(Domain)));
        Assert.Equal(4, plan.RefusedOrders.Count(r => r.Kind == "datasetorder"));
        Assert.Equal(dataset, plan.RequestOrder.Dataset);
        Assert.Equal(BigInteger.Zero, plan.RequestOrder.DatasetMaxPrice);
        var onChain = await new PoCoHub(Net.Rpc, Net.Hub).ViewDealAsync(Hex.Decode(deal.DealId));
        Assert.Equal(dataset, onChain.Dataset.Pointer);
        Assert.Equal(DatasetOwner.Address, onChain.Dataset.Owner);
        Assert.Equal(0, market.WriteCount);
    }

    private DatasetOrder Bad(string kind, EthAddress dataset) => kind switch
    {
        "signed by a non-owner" => new DatasetOrder { Dataset = dataset, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() }.SignWith(Stranger, Domain),
        "over-priced" => new DatasetOrder { Dataset = dataset, DatasetPrice = 7, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() }.SignWith(DatasetOwner, Domain),
        "restricted to another app" => new DatasetOrder { Dataset = dataset, Volume = 5, Tag = TeeScone, AppRestrict = Stranger.Address, Salt = OrderSalt.New() }.SignWith(DatasetOwner, Domain),
        "tag outside the run's" => new DatasetOrder { Dataset = dataset, Volume = 5, Tag = OrderTag.Parse("tee,gramine"), Salt = OrderSalt.New() }.SignWith(DatasetOwner, Domain),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private WorkerpoolOrder GoodPoolOrder() =>
        new WorkerpoolOrder { Workerpool = Net.Workerpool, Volume = 100, Tag = TeeScone, Category = 0, Salt = OrderSalt.New() }.SignWith(PoolOwner, Domain);

    private async Task<(EthAddress App, EthAddress Dataset)> DeployAsync()
    {
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var app = await AppRunInteropTests.DeployTutorialAppAsync(Net, Requester, chain);
        var name = "vetted-" + Guid.NewGuid().ToString("N")[..8];
        var descriptor = DatasetDescriptor.Create(DatasetOwner.Address.ToString(), name, "https://example.com/" + name + ".enc", Hex.Encode(Keccak256.HashUtf8(name)));
        var dataset = await new DatasetDeployer(Net.Rpc, chain).DeployAsync(descriptor, DatasetOwner, null);
        return (app, dataset.Address);
    }

    private async Task<(AppRunner Runner, AppRunContext Context)> LoadAsync(PagedHostileMarket market, EthAddress app, EthAddress dataset)
    {
        var chain = ChainResolver.FromDirectory(Net.Directory).Resolve();
        var runner = new AppRunner(Net.Rpc, chain, new MarketClient(market.Url));
        return (runner, await runner.LoadAsync(new AppRunRequest { App = app, Dataset = dataset, Tag = TeeScone, Category = 0 }, Requester.Address));
    }

    private JsonObject Entry(DatasetOrder order) => PagedHostileMarket.Entry(new JsonObject
    {
        ["dataset"] = order.Dataset.ToString(), ["datasetprice"] = Number(order.DatasetPrice), ["volume"] = Number(order.Volume), ["tag"] = Hex.Encode(order.Tag),
        ["apprestrict"] = order.AppRestrict.ToString(), ["workerpoolrestrict"] = order.WorkerpoolRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(order.Salt), ["sign"] = order.Sign,
    }, Hex.Encode(order.Hash(Domain)));

    private JsonObject Entry(WorkerpoolOrder order) => PagedHostileMarket.Entry(new JsonObject
    {
        ["workerpool"] = order.Workerpool.ToString(), ["workerpoolprice"] = Number(order.WorkerpoolPrice), ["volume"] = Number(order.Volume),
        ["tag"] = Hex.Encode(order.Tag), ["category"] = Number(order.Category), ["trust"] = Number(order.Trust),
        ["apprestrict"] = order.AppRestrict.ToString(), ["datasetrestrict"] = order.DatasetRestrict.ToString(),
        ["requesterrestrict"] = order.RequesterRestrict.ToString(), ["salt"] = Hex.Encode(order.Salt), ["sign"] = order.Sign,
    }, Hex.Encode(order.Hash(Domain)));

    private static JsonNode Number(BigInteger value) => JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))!;
}
