namespace IExecSecrets.Core.Tests.Execution;

/// <summary>
/// The plan templates separate commands of one process share: offered for 30 seconds only, never once their volume
/// is spent, never more deals taken than the volume allowed however many threads take at once, and a bounded store.
/// </summary>
public sealed class PlanTemplateTests
{
    private static readonly DateTime Read = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Shared_OfferedUntilThirtySecondsAfterTheReads_ThenDropped()
    {
        var key = Key();
        var template = new PlanTemplate(Plan(), 5, Read);
        PlanTemplate.Shared.Keep(key, template);

        Assert.Same(template, PlanTemplate.Shared.Find(key, Read.AddSeconds(29.9)));
        Assert.Null(PlanTemplate.Shared.Find(key, Read.AddSeconds(30)));
        // Dropped, not only hidden: an earlier clock no longer finds it either.
        Assert.Null(PlanTemplate.Shared.Find(key, Read.AddSeconds(1)));
    }

    [Fact]
    public void Shared_NoVolumeLeft_IsNotOffered()
    {
        var key = Key();
        var template = new PlanTemplate(Plan(), 1, Read);
        PlanTemplate.Shared.Keep(key, template);

        Assert.True(template.Take());

        Assert.False(template.Take());
        Assert.Null(PlanTemplate.Shared.Find(key, Read.AddSeconds(1)));
    }

    [Fact]
    public void Take_ManyThreadsAtOnce_TakeExactlyTheVolume()
    {
        var template = new PlanTemplate(Plan(), 1000, Read);
        var taken = 0;

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            if (template.Take()) Interlocked.Increment(ref taken);
        });

        Assert.Equal(1000, taken);
        Assert.Equal(0, template.Remaining);
    }

    [Fact]
    public void Take_OwnOrdersOnly_NeverRunsOut()
    {
        var template = new PlanTemplate(Plan(), long.MaxValue, Read);

        for (var i = 0; i < 10; i++) Assert.True(template.Take());

        Assert.Equal(long.MaxValue, template.Remaining);
    }

    [Fact]
    public void Forget_AnotherTemplateKeptMeanwhile_IsKept()
    {
        var key = Key();
        var older = new PlanTemplate(Plan(), 5, DateTime.UtcNow);
        var newer = new PlanTemplate(Plan(), 5, DateTime.UtcNow);
        PlanTemplate.Shared.Keep(key, older);
        PlanTemplate.Shared.Keep(key, newer);

        PlanTemplate.Shared.Forget(key, older);

        Assert.Same(newer, PlanTemplate.Shared.Find(key));
    }

    [Fact]
    public void Keep_ManyShapes_TheStoreStaysBounded()
    {
        for (var i = 0; i < 500; i++) PlanTemplate.Shared.Keep(Key(), new PlanTemplate(Plan(), 5, DateTime.UtcNow));

        Assert.InRange(PlanTemplate.Shared.Count, 1, 64);
    }

    [Fact]
    public void GasHint_IsReadBackWhole()
    {
        var template = new PlanTemplate(Plan(), 5, Read);
        Assert.Null(template.GasHint);

        template.GasHint = new BigInteger(412_345);

        Assert.Equal(new BigInteger(412_345), template.GasHint);
    }

    private static string Key() => "test|" + Guid.NewGuid().ToString("N");

    private static AppRunPlan Plan()
    {
        var app = EthAddress.Parse("0x1111111111111111111111111111111111111111");
        var request = new AppRunRequest { App = app, Tag = new byte[32], Params = new RequestParamsBuilder() };
        var context = new AppRunContext
        {
            Request = request,
            Params = AppRunner.Validate(request),
            Requester = EthAddress.Parse("0x2222222222222222222222222222222222222222"),
            Domain = Eip712Domain.ForHub(65535, EthAddress.Parse("0x3333333333333333333333333333333333333333")),
            AppOwner = app,
            AppMrEnclave = "",
        };
        return new AppRunPlan
        {
            Context = context,
            AppOrder = new AppOrder { App = app, Volume = 1, Salt = new byte[32] },
            DatasetOrder = DatasetOrder.Null,
            WorkerpoolOrder = new WorkerpoolOrder { Workerpool = app, Volume = 1, Salt = new byte[32] },
            RequestOrder = new RequestOrder { App = app, Requester = context.Requester, Beneficiary = context.Requester, Volume = 1, Salt = new byte[32] },
            AppOrderSource = "Self",
            WorkerpoolOrderSource = "Self",
        };
    }
}
