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
    public void CheckApp_StandardRun_AcceptsAStandardOrder()
    {
        // A request without TEE bits asks nothing of the app order's tag: the lower bound is the request's tee/framework bits.
        var standard = Request() with { Tag = new byte[32] };
        Assert.Null(OrderVetting.CheckApp(Order(tag: ""), standard, Requester, Owner.Address, Domain));
    }

    [Fact]
    public void CheckApp_DatasetRestriction_IsTheRequestedDataset()
    {
        var dataset = EthAddress.Parse("0x00000000000000000000000000000000000000d5");
        var restricted = Order() with { DatasetRestrict = dataset, Sign = "0x" };
        var signed = restricted.SignWith(Owner, Domain);

        Assert.Null(OrderVetting.CheckApp(signed, Request() with { Dataset = dataset }, Requester, Owner.Address, Domain));
        Assert.NotNull(OrderVetting.CheckApp(signed, Request(), Requester, Owner.Address, Domain));
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

    // PoCo's matchOrders refuses a workerpool order (iExecV5-matchOrders-0x…) whose restrictions name another requester,
    // app or dataset, which an app or dataset order restricted to another pool does not admit, whose price is above the
    // request's maximum, whose category differs or whose trust is lower; a volume of 0 has nothing to match; the tag must
    // hold every bit of the requested one. Each line breaks exactly one of these in an otherwise good order.
    public static TheoryData<string, string> BadWorkerpoolOrders() => new()
    {
        { "requester restriction", "it is restricted to requester 0x0000000000000000000000000000000000000002, not " + Requester },
        { "app restriction", "it is restricted to app 0x0000000000000000000000000000000000000002, not " + App },
        { "dataset restriction", "it is restricted to dataset 0x0000000000000000000000000000000000000002" },
        { "dataset order admits another pool", "the dataset order admits only workerpool 0x0000000000000000000000000000000000000002" },
        { "over-priced", "its price 8 nRLC is above -WorkerpoolMaxPrice (7 nRLC)" },
        { "volume 0", "its volume is 0" },
        { "other category", "its category is 1, not the category 0 looked in" },
        { "tag lacks scone", "its tag tee lacks tee,scone" },
        { "pinned by the app order", "it is an order for workerpool 0xc8ec66cfd9a5987C2A017C064107d32E9F0F765e, but the app or dataset order admits only workerpool 0x0000000000000000000000000000000000000002" },
    };

    [Theory]
    [MemberData(nameof(BadWorkerpoolOrders))]
    public void CheckWorkerpool_EachConditionPoCoEnforces_RefusesTheOrderWithItsReason(string kind, string reason)
    {
        var pool = EthAddress.Parse("0xc8ec66cfd9a5987C2A017C064107d32E9F0F765e");
        var other = EthAddress.Parse("0x0000000000000000000000000000000000000002");
        var good = new WorkerpoolOrder { Workerpool = pool, WorkerpoolPrice = 7, Volume = 5, Tag = TeeScone, Salt = OrderSalt.New() };
        var request = Request() with { WorkerpoolMaxPrice = 7 };
        var dataset = DatasetOrder.Null;
        EthAddress? pinned = null;
        var order = good;
        switch (kind)
        {
            case "requester restriction": order = good with { RequesterRestrict = other }; break;
            case "app restriction": order = good with { AppRestrict = other }; break;
            case "dataset restriction": order = good with { DatasetRestrict = other }; break;
            case "dataset order admits another pool": dataset = dataset with { WorkerpoolRestrict = other }; break;
            case "over-priced": order = good with { WorkerpoolPrice = 8 }; break;
            case "volume 0": order = good with { Volume = 0 }; break;
            case "other category": order = good with { Category = 1 }; break;
            case "tag lacks scone": order = good with { Tag = OrderTag.Parse("tee", allowTeeWithoutFramework: true) }; break;
            case "pinned by the app order": pinned = other; break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }

        Assert.Null(OrderVetting.CheckWorkerpool(good, request, Requester, null, 0, TeeScone, Order(), DatasetOrder.Null));
        Assert.Equal(reason, OrderVetting.CheckWorkerpool(order, request, Requester, pinned, 0, TeeScone, Order(), dataset));
    }

    [Fact]
    public void CheckApp_VolumeZeroAndRestrictionsToAnotherDatasetOrPool_AreRefused()
    {
        var other = EthAddress.Parse("0x0000000000000000000000000000000000000002");
        var pool = EthAddress.Parse("0xc8ec66cfd9a5987C2A017C064107d32E9F0F765e");
        AppOrder Signed(AppOrder order) => order.SignWith(Owner, Domain);
        var good = new AppOrder { App = App, Volume = 3, Tag = TeeScone, Salt = OrderSalt.New() };

        Assert.Equal("its volume is 0", OrderVetting.CheckApp(Signed(good with { Volume = 0 }), Request(), Requester, Owner.Address, Domain));
        Assert.Equal($"it is restricted to dataset {other}", OrderVetting.CheckApp(Signed(good with { DatasetRestrict = other }), Request(), Requester, Owner.Address, Domain));
        Assert.Equal($"it is restricted to workerpool {other}, not {pool}",
            OrderVetting.CheckApp(Signed(good with { WorkerpoolRestrict = other }), Request() with { Workerpool = pool }, Requester, Owner.Address, Domain));
        // Without a named pool the app order's pool restriction is not a refusal: it pins the workerpool search instead.
        Assert.Null(OrderVetting.CheckApp(Signed(good with { WorkerpoolRestrict = other }), Request(), Requester, Owner.Address, Domain));
        // A price within the maximum does not hide a bad signature: every check runs, the signature last.
        Assert.StartsWith("it is signed by 0x", OrderVetting.CheckApp(good.SignWith(Stranger, Domain), Request(), Requester, Owner.Address, Domain));
    }
}
