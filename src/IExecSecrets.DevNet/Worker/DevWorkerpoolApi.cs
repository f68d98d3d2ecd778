using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// The devnet workerpool's API, the part of iexec-core the SDK's <c>task debug --logs</c> calls, plus the one iExec
/// Compass route that points at it:
/// <list type="bullet">
/// <item><c>GET /{chainId}/workerpools/{address}</c> (Compass): <c>{"apiUrl": this server}</c> for the devnet
/// workerpool, 404 for any other address;</item>
/// <item><c>GET /tasks/logs/challenge?address=</c>: an EIP-712 <c>Challenge</c> under the <c>iExec Core</c> domain of
/// this chain with a fresh 32-byte random string, one per address until used (iexec-core keeps one per wallet);</item>
/// <item><c>GET /tasks/{taskid}/logs</c> with <c>Authorization: hash_signature_address</c>: the hash must be that of
/// the challenge handed to the address, the signature must recover to the address, and the address must be the
/// task's requester on chain; then <c>{chainTaskId, computeLogsList:[{walletAddress, stdout, stderr}]}</c> with the
/// worker's redacted app output. Anything else is 401. A challenge works once.</item>
/// </list>
/// Listens on 127.0.0.1 only.
/// </summary>
public sealed class DevWorkerpoolApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DevWorkerpoolApiOptions _options;
    private readonly ConcurrentDictionary<EthAddress, string> _challenges = new();

    private DevWorkerpoolApi(WebApplication app, DevWorkerpoolApiOptions options)
    {
        _app = app;
        _options = options;
        Url = null!;
    }

    /// <summary>The API base URL (no trailing slash); also the devnet's Compass URL.</summary>
    public Uri Url { get; private set; }

    /// <summary>How many log requests were refused (bad or reused authorization, not the requester).</summary>
    public int RefusedLogRequests => _refused;

    private int _refused;

    /// <summary>Starts the API on 127.0.0.1 (port 0 picks a free one).</summary>
    public static async Task<DevWorkerpoolApi> StartAsync(DevWorkerpoolApiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = LoopbackWebHost.Build(options.Port, 64 * 1024);
        var api = new DevWorkerpoolApi(app, options);
        app.MapGet("/{chainId}/workerpools/{address}", api.ServeCompass);
        app.MapGet("/tasks/logs/challenge", api.ServeChallenge);
        app.MapGet("/tasks/{taskId}/logs", api.ServeLogsAsync);
        api.Url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return api;
    }

    private IResult ServeCompass(string chainId, string address) =>
        chainId == _options.ChainId.ToString(CultureInfo.InvariantCulture) && EthAddress.TryParse(address, out var pool) && pool == _options.Workerpool
            ? Results.Json(new { apiUrl = Url.ToString().TrimEnd('/') })
            : Results.Json(new { error = "workerpool not found" }, statusCode: 404);

    private IResult ServeChallenge(HttpRequest request)
    {
        var text = request.Query["address"].FirstOrDefault() ?? request.Query["walletAddress"].FirstOrDefault();
        if (!EthAddress.TryParse(text, out var address)) return Results.Json(new { error = "invalid address" }, statusCode: 400);
        var challenge = _challenges.GetOrAdd(address, _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var typedData = new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = new JsonArray(Field("name", "string"), Field("version", "string"), Field("chainId", "uint256")),
                ["Challenge"] = new JsonArray(Field("challenge", "string")),
            },
            ["domain"] = new JsonObject { ["name"] = TaskLogClient.CoreChallengeDomain, ["version"] = "1", ["chainId"] = _options.ChainId },
            ["primaryType"] = "Challenge",
            ["message"] = new JsonObject { ["challenge"] = challenge },
        };
        return Results.Text(typedData.ToJsonString(), "application/json");
    }

    private async Task<IResult> ServeLogsAsync(string taskId, HttpRequest request)
    {
        var authorization = request.Headers.Authorization.FirstOrDefault();
        var parts = authorization?.Split('_');
        if (parts is not { Length: 3 } || !EthAddress.TryParse(parts[2], out var address) || !_challenges.TryGetValue(address, out var challenge))
            return Refuse();
        byte[] hash;
        Signature signature;
        try
        {
            hash = Hex.Decode(parts[0]);
            signature = Signature.FromBytes(Hex.Decode(parts[1]));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return Refuse();
        }

        var expected = ChallengeDigest(challenge);
        if (!CryptographicOperations.FixedTimeEquals(hash, expected)) return Refuse();
        EthAddress signer;
        try
        {
            signer = Secp256k1.RecoverAddress(expected, signature);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return Refuse();
        }

        if (signer != address) return Refuse();
        byte[] id;
        try
        {
            id = Hex.Decode(taskId);
        }
        catch (FormatException)
        {
            return Results.Json(new { error = "invalid task id" }, statusCode: 400);
        }

        var requester = await _options.ResolveRequesterAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (requester != address) return Refuse();
        // iexec-core ties a challenge to one login; here each successful read spends it.
        _challenges.TryRemove(new KeyValuePair<EthAddress, string>(address, challenge));
        var logs = _options.Logs(Hex.Encode(id));
        var list = new JsonArray();
        if (logs is { } entry)
        {
            list.Add(new JsonObject { ["walletAddress"] = _options.Worker.ToString(), ["stdout"] = entry.StandardOutput, ["stderr"] = entry.StandardError });
        }

        return Results.Text(new JsonObject { ["chainTaskId"] = Hex.Encode(id), ["computeLogsList"] = list }.ToJsonString(), "application/json");
    }

    private IResult Refuse()
    {
        Interlocked.Increment(ref _refused);
        return Results.Json(new { error = "unauthorized" }, statusCode: 401);
    }

    private byte[] ChallengeDigest(string challenge) => ChallengeTypedData.Hash(TaskLogClient.CoreChallengeDomain, _options.ChainId, challenge);

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What the devnet workerpool API serves and checks against.</summary>
public sealed class DevWorkerpoolApiOptions
{
    /// <summary>The chain id the challenges are for.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>The devnet workerpool, the only one Compass knows.</summary>
    public required EthAddress Workerpool { get; init; }

    /// <summary>The worker address reported as the author of the logs.</summary>
    public required EthAddress Worker { get; init; }

    /// <summary>The requester of the deal of a task id (read on chain), or null for an unknown task.</summary>
    public required Func<byte[], CancellationToken, Task<EthAddress?>> ResolveRequesterAsync { get; init; }

    /// <summary>The worker's redacted app output for a task id (lower-case 0x hex), or null when it kept none.</summary>
    public required Func<string, WorkerTaskLogs?> Logs { get; init; }

    /// <summary>The loopback port, 0 for any free one.</summary>
    public int Port { get; init; }
}

/// <summary>The app output the devnet worker kept for one task, every provisioned secret replaced by <c>***</c>.</summary>
/// <param name="StandardOutput">The app's standard output (capped).</param>
/// <param name="StandardError">The app's standard error (capped).</param>
public sealed record WorkerTaskLogs(string StandardOutput, string StandardError);
