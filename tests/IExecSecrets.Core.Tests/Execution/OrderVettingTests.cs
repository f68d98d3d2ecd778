using IExecSecrets.Core.Tests.Chain;

namespace IExecSecrets.Core.Tests.Execution;

/// <summary>The order checks on their own, with the devnet's published test keys as owners and strangers.</summary>
public sealed class OrderVettingTests
{
    private static readonly TestKeySigner Owner = new("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    private static readonly TestKeySigner Stranger = new("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
    private static readonly EthAddress App = EthAddress.Parse("0x750ad9dD81E57229c9a2ef4094Fc609f7f4a8F92");
    private static readonly EthAddress Requester = EthAddress.Parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static readonly Eip712Domain Domain = Eip712Domain.ForHub(134, EthAddress.Parse("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9"));
    private static readonly byte[] TeeScone = OrderTag.Parse("tee,scone");

    private static AppRunRequest Request(long appMaxPrice = 0) => new() { App = App, Tag = TeeScone, AppMaxPrice = appMaxPrice };

    private static AppOrder Order(long price = 0, string tag = "tee,scone", EthAddress requesterRestrict = default) =>
        new AppOrder { App = App, AppPrice = price, Volume = 3, Tag = OrderTag.Parse(tag, allowTeeWithoutFramework: true), RequesterRestrict = requesterRestrict, Salt = OrderSalt.New() }.SignWith(Owner, Domain);

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(5, 5, null)]
    [InlineData(6, 5, "its price 6 nRLC is above -AppMaxPrice (5 nRLC)")]
    [InlineData(1, 0, "its price 1 nRLC is above -AppMaxPrice (0 nRLC)")]
    public void CheckApp_PriceIsAtMostTheMaxPrice(long price, long max, string? reason)
    {
        Assert.Equal(reason, OrderVetting.CheckApp(Order(price), Request(max), Requester, Owner.Address, Domain));
    }

    [Fact]
    public void CheckApp_TagBoundsAreTheSdks()
    {
        Assert.Null(OrderVetting.CheckApp(Order(tag: "tee,scone"), Request(), Requester, Owner.Address, Domain));
        Assert.Equal("its tag tee lacks tee,scone", OrderVetting.CheckApp(Order(tag: "tee"), Request(), Requester, Owner.Address, Domain));
        Assert.Equal("its tag tee,scone,gpu is outside the requested tag tee,scone",
            OrderVetting.CheckApp(Order(tag: "tee,scone,gpu"), Request(), Requester, Owner.Address, Domain));
    }

    [Fact]
    public void CheckApp_RestrictionsAndSigner()
    {
        Assert.Null(OrderVetting.CheckApp(Order(requesterRestrict: Requester), Request(), Requester, Owner.Address, Domain));
        Assert.Equal($"it is restricted to requester {Stranger.Address}, not {Requester}",
            OrderVetting.CheckApp(Order(requesterRestrict: Stranger.Address), Request(), Requester, Owner.Address, Domain));
        var signedByStranger = Order() with { Sign = Order().SignWith(Stranger, Domain).Sign };
        Assert.StartsWith("it is signed by 0x", OrderVetting.CheckApp(signedByStranger, Request(), Requester, Owner.Address, Domain));
        Assert.Equal("its signature is malformed", OrderVetting.CheckApp(Order() with { Sign = "0x1234" }, Request(), Requester, Owner.Address, Domain));
        Assert.Equal("it is an order for app 0x0000000000000000000000000000000000000001, not for the requested app " + App,
            OrderVetting.CheckApp(Order() with { App = EthAddress.Parse("0x0000000000000000000000000000000000000001") }, Request(), Requester, Owner.Address, Domain));
    }

    [Theory]
    [InlineData(3, 0, null)]
    [InlineData(3, 2, null)]
    [InlineData(3, 3, "it is exhausted on chain (volume 3, consumed 3)")]
    [InlineData(0, 0, "it is exhausted on chain (volume 0, consumed 0)")]
    public void CheckRemaining_VolumeMinusConsumedMustBePositive(long volume, long consumed, string? reason)
    {
        Assert.Equal(reason, OrderVetting.CheckRemaining(volume, consumed));
    }

    [Fact]
    public void CheckWorkerpool_MustBeAdmittedByTheAppOrderAndTheNamedPool()
    {
        var pool = EthAddress.Parse("0xc8ec66cfd9a5987C2A017C064107d32E9F0F765e");
        var other = EthAddress.Parse("0x0000000000000000000000000000000000000002");
        var order = new WorkerpoolOrder { Workerpool = pool, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() };
        var app = Order();

        Assert.Null(OrderVetting.CheckWorkerpool(order, Request(), Requester, null, 0, TeeScone, app, DatasetOrder.Null));
        Assert.Equal($"the app order admits only workerpool {other}",
            OrderVetting.CheckWorkerpool(order, Request(), Requester, null, 0, TeeScone, app with { WorkerpoolRestrict = other }, DatasetOrder.Null));
        Assert.Equal($"it is an order for workerpool {pool}, not for the requested workerpool {other}",
            OrderVetting.CheckWorkerpool(order, Request() with { Workerpool = other }, Requester, other, 0, TeeScone, app, DatasetOrder.Null));
        Assert.Equal("its trust 0 is below the requested trust 2",
            OrderVetting.CheckWorkerpool(order, Request() with { Trust = 2 }, Requester, null, 0, TeeScone, app, DatasetOrder.Null));
        Assert.Equal($"{pool} is not a workerpool registered on this hub", OrderVetting.CheckWorkerpoolSigner(order, null, Domain));
    }

    [Fact]
    public void CheckDataset_DatasetAppRestrictionPriceAndOwner()
    {
        var dataset = EthAddress.Parse("0x0000000000000000000000000000000000000d5e");
        var request = Request() with { Dataset = dataset, DatasetMaxPrice = 2 };
        DatasetOrder Order(long price = 0, EthAddress appRestrict = default, EthAddress? forDataset = null, TestKeySigner? signer = null) =>
            new DatasetOrder { Dataset = forDataset ?? dataset, DatasetPrice = price, Volume = 1, Tag = TeeScone, AppRestrict = appRestrict, Salt = OrderSalt.New() }
                .SignWith(signer ?? Owner, Domain);

        Assert.Null(OrderVetting.CheckDataset(Order(price: 2, appRestrict: App), request, Requester, Owner.Address, Domain));
        Assert.Equal("its price 3 nRLC is above -DatasetMaxPrice (2 nRLC)", OrderVetting.CheckDataset(Order(price: 3), request, Requester, Owner.Address, Domain));
        Assert.Equal($"it is restricted to app {Requester}, not {App}", OrderVetting.CheckDataset(Order(appRestrict: Requester), request, Requester, Owner.Address, Domain));
        Assert.StartsWith("it is an order for dataset 0x", OrderVetting.CheckDataset(Order(forDataset: App), request, Requester, Owner.Address, Domain));
        Assert.Equal($"it is signed by {Stranger.Address}, not by the dataset owner {Owner.Address}",
            OrderVetting.CheckDataset(Order(signer: Stranger), request, Requester, Owner.Address, Domain));
        Assert.Equal("no dataset was requested", OrderVetting.CheckDataset(Order(), Request(), Requester, Owner.Address, Domain));
    }
}
