using System.Globalization;
using System.Text.Json;
using IExecSecrets.Core.Chain;
using IExecSecrets.DevNet.Chain;

namespace IExecSecrets.DevNet;

/// <summary>
/// <c>devnet clock --dir DIR (--advance SECONDS | --expire ID)</c>: moves the chain clock of the devnet running with
/// that folder (its devnet.json names the node and hub), so a deadline passes without waiting: <c>--advance</c> by a
/// number of seconds, <c>--expire</c> just past the final deadline of a task or deal. Prints the deadline (for
/// <c>--expire</c>) and the chain's new time as ISO 8601 UTC.
/// </summary>
internal static class ClockCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? directory = null;
        long? advance = null;
        string? expire = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dir" when i + 1 < args.Length: directory = args[++i]; break;
                case "--advance" when i + 1 < args.Length && long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    advance = seconds;
                    i++;
                    break;
                case "--expire" when i + 1 < args.Length && Hex.IsHex(args[i + 1], 32): expire = args[++i]; break;
                default: Console.Error.WriteLine($"unknown or incomplete argument: {args[i]}"); return 2;
            }
        }
        if (directory is null || (advance is null) == (expire is null))
        {
            Console.Error.WriteLine("usage: IExecSecrets.DevNet clock --dir DIR (--advance SECONDS | --expire TASK_OR_DEAL_ID)");
            return 2;
        }
        try
        {
            using var devnet = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "devnet.json")));
            using var rpc = new JsonRpcClient(new Uri(devnet.RootElement.GetProperty("rpcUrl").GetString()!));
            if (advance is { } by)
            {
                var now = await DevNetClock.AdvanceAsync(rpc, TimeSpan.FromSeconds(by));
                Console.WriteLine($"chain time {Iso(now)}");
            }
            else
            {
                var hub = EthAddress.Parse(devnet.RootElement.GetProperty("hub").GetString()!);
                var (deadline, now) = await DevNetClock.ExpireAsync(rpc, hub, Hex.Decode(expire!));
                Console.WriteLine($"deadline {Iso(deadline)}");
                Console.WriteLine($"chain time {Iso(now)}");
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException or KeyNotFoundException or Core.Errors.IExecException)
        {
            Console.Error.WriteLine($"devnet clock failed: {e.Message}");
            return 1;
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
