using System.Collections.Concurrent;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Interop.Tests.Sms;

/// <summary>The batch contract under faults: every secret is stored exactly once and reported pushed, or absent and reported failed.</summary>
public sealed class SmsFaultInjectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PushRequesterSecretAsync_500PushesWithAThirdOfRequestsFaulted_NoneLostNoneWronglyReported()
    {
        const int secretCount = 500;
        var faults = new DevSmsFaults
        {
            Rate = 1.0 / 3,
            Seed = 20240611,
            AfterWriteShare = 0.5,
            Delay = TimeSpan.FromSeconds(1.5),
        };
        await using var sms = await DevSmsHost.StartAsync(faults);
        using var key = WalletKey.Generate();
        using var client = new SmsClient(sms.Uri, new SmsClientOptions
        {
            MaxRetries = 10,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromMilliseconds(750),
        });
        var outcomes = new ConcurrentDictionary<int, object>();
        var started = DateTime.UtcNow;

        await Parallel.ForEachAsync(Enumerable.Range(0, secretCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            try
            {
                outcomes[i] = await client.PushRequesterSecretAsync(key, Name(i), Value(i), ct);
            }
            catch (IExecException e)
            {
                outcomes[i] = e;
            }
        });

        var reconciled = 0;
        for (var i = 0; i < secretCount; i++)
        {
            var stored = await sms.Server.GetRequesterSecretAsync(key.Address, Name(i));
            switch (outcomes[i])
            {
                case SmsPushResult pushed:
                    Assert.Equal(Value(i), stored);
                    reconciled += pushed.Reconciled ? 1 : 0;
                    break;
                case IExecException failed:
                    Assert.True(stored is null, $"{Name(i)} was reported failed ({failed.ErrorId}: {failed.Message}) but is stored");
                    break;
            }
        }
        var failures = outcomes.Values.OfType<IExecException>().ToList();
        output.WriteLine($"{sms.Server.RequestCount} requests, {sms.Server.InjectedFaultCount} faults injected, {reconciled} pushes reconciled, " +
                         $"{failures.Count} failed, {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        // With 11 attempts per request at a 1/3 fault rate a failure is a one-in-a-hundred-thousand event; none is expected.
        Assert.Empty(failures);
        Assert.Equal(secretCount, await sms.Server.CountSecretsAsync(SmsSecretKind.Requester));
        Assert.InRange(sms.Server.InjectedFaultCount, sms.Server.RequestCount / 4, sms.Server.RequestCount / 2);
        Assert.True(reconciled > 10, $"only {reconciled} pushes needed reconciliation: the after-write faults did not happen");
    }

    private static string Name(int i) => $"s{i:D3}";

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes($"value-{i}-ü");
}
