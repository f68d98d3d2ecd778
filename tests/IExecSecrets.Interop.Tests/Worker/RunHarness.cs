namespace IExecSecrets.Interop.Tests.Worker;

/// <summary>
/// Drives an `iexec app run` from C# against the devnet: deploys an app, pushes its secrets to the dev SMS, signs the
/// app and request orders, takes the workerpool order from the devnet market, sends matchOrders and waits for the
/// task to be final on chain.
/// </summary>
internal sealed class RunHarness(DevNetEnvironment net)
{
    public static string RepositoryRoot => RepositoryLayout.Locate().Root;

    public DevNetAccount Developer => net.Accounts[1];

    public DevNetAccount Requester => net.Accounts[3];

    public PoCoHub Hub => new(net.Rpc, net.Hub);

    public Eip712Domain Domain => Eip712Domain.ForHub(net.ChainId, net.Hub);

    public async Task<EthAddress> DeployAppAsync(string multiaddr, string? appSecret)
    {
        var registry = await AppRegistry.FromHubAsync(net.Rpc, Hub);
        var app = await registry.CreateAppAsync(net.CreateSender(Developer), new AppDefinition(
            Developer.Address,
            "worker-test-" + Guid.NewGuid().ToString("N")[..10],
            "DOCKER",
            Encoding.UTF8.GetBytes(multiaddr),
            Keccak256.HashUtf8(Guid.NewGuid().ToString()),
            Encoding.UTF8.GetBytes("{\"framework\":\"SCONE\",\"version\":\"v5.9\",\"entrypoint\":\"node /app/app.js\",\"heapSize\":1073741824,\"fingerprint\":\"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609\"}")));
        if (appSecret is not null)
        {
            using var sms = new SmsClient(net.SmsUrl);
            await sms.PushAppSecretAsync(Developer, app.Address, Encoding.UTF8.GetBytes(appSecret));
        }
        return app.Address;
    }

    /// <summary>Pushes a requester secret under a fresh name and returns the name.</summary>
    public async Task<string> PushRequesterSecretAsync(string value)
    {
        var name = "x-" + Guid.NewGuid().ToString("N")[..12];
        using var sms = new SmsClient(net.SmsUrl);
        await sms.PushRequesterSecretAsync(Requester, name, Encoding.UTF8.GetBytes(value));
        return name;
    }

    /// <summary>The first workerpool order the market offers for a tee,scone run in category 0, as a Core record.</summary>
    public async Task<WorkerpoolOrder> TakeWorkerpoolOrderAsync(EthAddress app)
    {
        using var http = new HttpClient();
        var url = $"{net.Market.Url.ToString().TrimEnd('/')}/workerpoolorders?app={app}&category=0&chainId=134&isAppStrict=false&isDatasetStrict=false&isRequesterStrict=false"
            + $"&minTag={OrderTag.ToHex(OrderTag.Parse("tee,scone"))}&pageIndex=0&pageSize=20&requester={Requester.Address}&workerpool={net.Workerpool}";
        var answer = JsonNode.Parse(await http.GetStringAsync(url))!;
        var order = answer["orders"]![0]!["order"]!;
        return new WorkerpoolOrder
        {
            Workerpool = EthAddress.Parse(order["workerpool"]!.GetValue<string>()),
            WorkerpoolPrice = (BigInteger)order["workerpoolprice"]!.GetValue<decimal>(),
            Volume = (BigInteger)order["volume"]!.GetValue<decimal>(),
            Tag = Hex.Decode(order["tag"]!.GetValue<string>()),
            Category = (BigInteger)order["category"]!.GetValue<decimal>(),
            Trust = (BigInteger)order["trust"]!.GetValue<decimal>(),
            AppRestrict = EthAddress.Parse(order["apprestrict"]!.GetValue<string>()),
            DatasetRestrict = EthAddress.Parse(order["datasetrestrict"]!.GetValue<string>()),
            RequesterRestrict = EthAddress.Parse(order["requesterrestrict"]!.GetValue<string>()),
            Salt = Hex.Decode(order["salt"]!.GetValue<string>()),
            Sign = order["sign"]!.GetValue<string>(),
        };
    }

    /// <summary>Matches the orders and waits until the task is COMPLETED or FAILED; returns the task and how long it took from matchOrders.</summary>
    public async Task<(byte[] TaskId, PoCoTask Task, TimeSpan Elapsed)> RunAsync(EthAddress app, string paramsJson)
    {
        var tag = OrderTag.Parse("tee,scone");
        var appOrder = new AppOrder { App = app, Volume = 1, Tag = tag, Salt = OrderSalt.New() }.SignWith(Developer, Domain);
        var workerpoolOrder = await TakeWorkerpoolOrderAsync(app);
        var request = new RequestOrder
        {
            App = app,
            Workerpool = workerpoolOrder.Workerpool,
            WorkerpoolMaxPrice = workerpoolOrder.WorkerpoolPrice,
            Requester = Requester.Address,
            Volume = 1,
            Tag = tag,
            Category = workerpoolOrder.Category,
            Beneficiary = Requester.Address,
            Params = paramsJson,
            Salt = OrderSalt.New(),
        }.SignWith(Requester, Domain);
        var dealId = ExecutionIds.DealId(request.Hash(Domain), BigInteger.Zero);
        var taskId = ExecutionIds.TaskId(dealId, BigInteger.Zero);

        var clock = Stopwatch.StartNew();
        await Hub.SendAsync(net.CreateSender(Requester), PoCoHub.EncodeMatchOrders(
            appOrder.ToMatchOrdersTuple(), DatasetOrder.Null.ToMatchOrdersTuple(), workerpoolOrder.ToMatchOrdersTuple(), request.ToMatchOrdersTuple()));
        while (true)
        {
            var task = await Hub.ViewTaskAsync(taskId);
            if (task.Status is PoCoTaskStatus.Completed or PoCoTaskStatus.Failed) return (taskId, task, clock.Elapsed);
            if (clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"task {Hex.Encode(taskId)} still {task.Status} after 90 s");
            await Task.Delay(100);
        }
    }

    public static string Params(string secretName) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["iexec_secrets"] = new Dictionary<string, string> { ["1"] = secretName }, ["iexec_result_storage_provider"] = "ipfs" });
}
