using System.Management.Automation;
using IExecSecrets.Core.Crypto;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet.Sms;
using IExecSecrets.Output;

namespace IExecSecrets.Module.Tests;

public sealed class LeakAndFaultTests
{
    private const string Canary = "CANARY-7f3a9c-do-not-leak";

    [Fact]
    public async Task Canary_AppearsInNoStreamErrorRecordOrTempFile_OnEveryErrorPath()
    {
        await using var sms = await DevSms.StartAsync();
        using var badRequest = new ScriptedStatusServer(400);
        using var tooLarge = new ScriptedStatusServer(413);
        using var serverError = new ScriptedStatusServer(500);
        var closedPort = LoopbackPorts.Closed();
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        host.Run("Push-IExecRequesterSecret existing -Value $c -SmsUrl $sms; Push-IExecWeb2Secret existing -Value $c -SmsUrl $sms", Vars(sms)).ThrowIfFailed();
        var scripts = new[]
        {
            "Push-IExecRequesterSecret existing -Value $c -SmsUrl $sms",                          // 409
            "Push-IExecWeb2Secret existing -Value $c -SmsUrl $sms",                               // 409 on web2
            "Push-IExecAppSecret -App 0x0123456789abcdef0123456789abcdef01234567 -Value $c -SmsUrl $sms", // 401: not the owner
            "Push-IExecRequesterSecret x1 -Value $c -SmsUrl $r400",
            "Push-IExecWeb2Secret x1 -Value $c -SmsUrl $r413",
            "Push-IExecRequesterSecret x1 -Value $c -SmsUrl $r500",
            "Push-IExecRequesterSecret x1 -Value $c -SmsUrl $refused",
            "Push-IExecRequesterSecret 'bad name' -Value $c -SmsUrl $sms",
        };

        foreach (var script in scripts)
        {
            var result = host.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + script + " -Verbose", Vars(sms, badRequest, tooLarge, serverError, closedPort));

            Assert.True(result.AllErrors.Any(), $"expected an error from: {script}");
            AssertNoCanary(result, script);
        }

        // The timeout path: every request is held far beyond the 1 s client timeout, retries included.
        var holdEverything = new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.Delay], Delay = TimeSpan.FromSeconds(30) };
        await using var slowSms = await DevSms.StartAsync(holdEverything);
        const string timeoutScript = "Push-IExecRequesterSecret x1 -Value $c -SmsUrl $slow -TimeoutSec 1";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timedOut = host.Run(
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + timeoutScript + " -Verbose",
            new Dictionary<string, object?>(Vars(sms)) { ["slow"] = slowSms.Url });

        clock.Stop();

        var timeoutError = timedOut.SingleError();
        // 4 attempts of 1 s plus backoff; the default 30 s timeout would take minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("SmsTimeout,IExecSecrets.Commands.PushIExecRequesterSecretCommand", timeoutError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, timeoutError.CategoryInfo.Category);
        Assert.True(slowSms.Server.InjectedFaultCount > 0);
        using (var key = WalletKey.FromHex(ModuleHost.TestPrivateKey))
        {
            Assert.Null(await slowSms.Server.GetRequesterSecretAsync(key.Address, "x1"));
        }

        AssertNoCanary(timedOut, timeoutScript);

        Assert.True(badRequest.RequestCount > 0 && tooLarge.RequestCount > 0 && serverError.RequestCount > 0);
        var tempFolders = Directory.EnumerateDirectories(Path.GetTempPath(), "iexec-module-tests-*").Append(sms.Directory).Append(slowSms.Directory).Distinct();
        foreach (var file in tempFolders.SelectMany(d => Directory.EnumerateFiles(d, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })))
        {
            Assert.DoesNotContain(Canary, ReadShared(file));
        }
    }

    [Fact]
    public async Task FaultySms_500PipedPushes_EachPushedExactlyOnceOrReportedFailed()
    {
        var faults = new DevSmsFaults { Rate = 1.0 / 3, Seed = 7, Delay = TimeSpan.FromSeconds(1), AfterWriteShare = 0.5 };
        await using var sms = await DevSms.StartAsync(faults);
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var names = Enumerable.Range(0, 500).Select(i => $"s{i:D3}").ToArray();

        var result = host.Run("$names | Push-IExecRequesterSecret -Value $c -SmsUrl $sms -ThrottleLimit 16", new Dictionary<string, object?> { ["names"] = names, ["c"] = ModuleHost.Secure("fault-value"), ["sms"] = sms.Url });

        Assert.Null(result.Terminating);
        var pushed = result.Output.Select(o => (IExecSecretPushResult)o.BaseObject).ToList();
        var failed = result.Errors.Select(e => (string)e.TargetObject).ToList();
        Assert.True(500 == pushed.Count + failed.Count, $"{pushed.Count} pushed + {failed.Count} failed: " + string.Join(" | ", result.Errors.Take(5).Select(e => $"{e.FullyQualifiedErrorId} {e.TargetObject}")));
        var reported = pushed.Select(p => p.Name).Concat(failed).Order().ToList();
        Assert.True(names.Order().SequenceEqual(reported), "missing: " + string.Join(",", names.Except(reported).Take(5)) + " extra: " + string.Join(",", reported.Except(names).Take(5)) + " dup: " + string.Join(",", reported.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).Take(5)));
        Assert.True(sms.Server.InjectedFaultCount > 50, $"only {sms.Server.InjectedFaultCount} faults were injected");
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        foreach (var p in pushed)
        {
            Assert.NotNull(await sms.Server.GetRequesterSecretAsync(key.Address, p.Name));
        }

        foreach (var name in failed)
        {
            Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, name));
        }

        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    private static Dictionary<string, object?> Vars(DevSms sms, ScriptedStatusServer? r400 = null, ScriptedStatusServer? r413 = null, ScriptedStatusServer? r500 = null, int closedPort = 1) => new()
    {
        ["c"] = ModuleHost.Secure(Canary),
        ["sms"] = sms.Url,
        ["r400"] = r400?.Url,
        ["r413"] = r413?.Url,
        ["r500"] = r500?.Url,
        ["refused"] = $"http://127.0.0.1:{closedPort}",
    };

    private static void AssertNoCanary(RunResult result, string script)
    {
        var texts = new List<string?>();
        texts.AddRange(result.Output.Select(o => o.ToString()));
        texts.AddRange(result.Output.SelectMany(o => o.Properties.Select(p => p.Value?.ToString())));
        texts.AddRange(result.Verbose);
        texts.AddRange(result.Debug);
        texts.AddRange(result.Warning);
        texts.AddRange(result.Information);
        texts.AddRange(result.ProgressText);
        foreach (var error in result.AllErrors)
        {
            texts.Add(error.ToString());
            texts.Add(error.TargetObject?.ToString());
            texts.Add(error.ErrorDetails?.Message);
            texts.Add(error.ErrorDetails?.RecommendedAction);
            texts.Add(error.CategoryInfo.ToString());
            for (var ex = error.Exception; ex is not null; ex = ex.InnerException)
            {
                texts.Add(ex.Message);
                texts.Add(ex.ToString());
            }
        }

        Assert.All(texts, text => Assert.False(text?.Contains(Canary, StringComparison.Ordinal) ?? false, $"canary leaked by: {script}"));
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
