using System.Runtime.InteropServices;
using IExecSecrets.DevNet;
using IExecSecrets.DevNet.Chain;
using IExecSecrets.DevNet.Worker;

// devnet up --dir DIR [--mode native|token] [--no-cache] [--leave-failed-tasks] [--docker-host URL] [--registry-login REGISTRY,USER,PASSWORD_FILE]:
// runs the local iExec network until SIGINT/SIGTERM (only SIGTERM when it was started with SIGINT ignored, see the
// banner's last line). The worker pulls image apps with the registry logins given; with --leave-failed-tasks it leaves
// a task it failed ACTIVE for the requester to claim, as a real workerpool does.
// devnet clock --dir DIR (--advance SECONDS | --expire TASK_OR_DEAL_ID): moves the running devnet's chain clock.
const string Usage = "usage: IExecSecrets.DevNet up --dir DIR [--mode native|token] [--no-cache] [--leave-failed-tasks] [--docker-host URL] [--registry-login REGISTRY,USER,PASSWORD_FILE]\n"
    + "       IExecSecrets.DevNet clock --dir DIR (--advance SECONDS | --expire TASK_OR_DEAL_ID)";
if (args.Length > 0 && args[0] == "clock") return await ClockCommand.RunAsync(args[1..]);
if (args.Length == 0 || args[0] != "up")
{
    Console.Error.WriteLine(Usage);
    return 2;
}
string? directory = null;
var claimFailedTasks = true;
var mode = DevNetMode.Native;
var useCache = true;
string? dockerHost = null;
var logins = new List<RegistryLogin>();
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--dir" when i + 1 < args.Length: directory = args[++i]; break;
        case "--mode" when i + 1 < args.Length && Enum.TryParse<DevNetMode>(args[i + 1], ignoreCase: true, out var parsed): mode = parsed; i++; break;
        case "--no-cache": useCache = false; break;
        case "--leave-failed-tasks": claimFailedTasks = false; break;
        case "--docker-host" when i + 1 < args.Length: dockerHost = args[++i]; break;
        case "--registry-login" when i + 1 < args.Length && args[i + 1].Split(',') is [{ Length: > 0 } registry, { Length: > 0 } user, { Length: > 0 } file]:
            // The password stays in its file: only the path is on the command line.
            logins.Add(new RegistryLogin(registry, user, Path.GetFullPath(file)));
            i++;
            break;
        default: Console.Error.WriteLine($"unknown or incomplete argument: {args[i]}"); return 2;
    }
}
if (directory is null)
{
    Console.Error.WriteLine("--dir DIR is required");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
try
{
    await using var devnet = await DevNetEnvironment.StartAsync(new DevNetOptions
    {
        Directory = directory, Mode = mode, UseStateCache = useCache, DockerHost = dockerHost, RegistryCredentials = logins,
        ClaimFailedTasks = claimFailedTasks,
    }, stop.Token);
    var source = devnet.Deployment.FromCache ? "cached state" : "fresh deployment";
    Console.WriteLine($"devnet ready ({devnet.Deployment.Mode}, PoCo from {source} in {devnet.Deployment.Duration.TotalSeconds:0.00} s)");
    Console.WriteLine($"  rpc         {devnet.RpcUrl}  (chain id {devnet.ChainId})");
    Console.WriteLine($"  hub         {devnet.Hub}");
    Console.WriteLine($"  workerpool  {devnet.Workerpool}");
    Console.WriteLine($"  sms         {devnet.SmsUrl}");
    if (devnet.TdxSms != devnet.Sms) Console.WriteLine($"  tdx sms     {devnet.TdxSmsUrl}");
    Console.WriteLine($"  market      {devnet.Market.Url}");
    Console.WriteLine($"  ipfs        {devnet.Ipfs.Url}");
    Console.WriteLine($"  compass     {devnet.WorkerpoolApi.Url}  (workerpool API: task logs)");
    Console.WriteLine($"  chain.json  {devnet.ChainJsonPath}");
    Console.WriteLine($"  devnet.json {devnet.DevNetJsonPath}");
    if (File.Exists(devnet.ChainV9JsonPath))
        Console.WriteLine($"  chain.v9.json {devnet.ChainV9JsonPath}  (iexec SDK 9.x format: copy it as chain.json into an iexec 9 project)");
    if (devnet.TdxWorkerpoolOrderHash.Length > 0)
        Console.WriteLine($"  tee,tdx workerpool order {devnet.TdxWorkerpoolOrderHash}");
    // A shell without job control (a script, `cmd &`, nohup) starts a background job with SIGINT ignored (POSIX), and
    // .NET keeps an inherited ignore, so the SIGINT registration above never fires: say so rather than promise Ctrl+C.
    Console.WriteLine(SigintIgnored()
        ? $"SIGINT is ignored here (started in the background by a shell): stop with kill -TERM {Environment.ProcessId}."
        : "Press Ctrl+C to stop.");
    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    Console.WriteLine("stopping");
    return 0;
}
catch (OperationCanceledException)
{
    return 130;
}
catch (DevNetException e)
{
    Console.Error.WriteLine($"devnet failed ({e.ErrorId}): {e.Message} {e.RecommendedAction}".TrimEnd());
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"devnet failed: {e.Message}");
    return 1;
}

// True when this process ignores SIGINT (Linux: bit 1 of SigIgn in /proc/self/status); false where that cannot be read.
static bool SigintIgnored()
{
    try
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                return ulong.TryParse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber,
                    System.Globalization.CultureInfo.InvariantCulture, out var mask) && (mask & (1UL << 1)) != 0;
            }
        }
    }
    catch (IOException)
    {
    }
    catch (UnauthorizedAccessException)
    {
    }
    return false;
}
