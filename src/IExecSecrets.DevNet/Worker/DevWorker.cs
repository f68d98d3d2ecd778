using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Orders;
using IExecSecrets.Core.PoCo;
using IExecSecrets.Core.Secrets;
using IExecSecrets.Core.Wallet;
using IExecSecrets.DevNet.Sms;
using IExecSecrets.DevNet.Chain;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// The devnet's scheduler and worker in one loop. It polls <c>eth_getLogs</c> on the hub for
/// <c>SchedulerNotice(workerpool, dealid)</c> of its workerpool and runs each deal's tasks
/// [botFirst, botFirst+botSize) one after the other:
/// <list type="number">
/// <item><c>initialize(dealid, idx)</c> as the workerpool owner;</item>
/// <item>for an image app, the image pulled from its registry (with the configured login) and checked against the
/// app's on-chain checksum: the registry digest must equal it (an image only built locally may match by image id
/// when the registry cannot be reached); a mismatch or a failed pull fails the task with that reason;</item>
/// <item>the app (see <see cref="AppLauncher"/>) in a fresh folder with <c>IEXEC_IN</c>, <c>IEXEC_OUT</c>,
/// <c>IEXEC_TASK_ID</c>, <c>IEXEC_BOT_SIZE</c>, <c>IEXEC_BOT_FIRST_INDEX</c>, <c>IEXEC_BOT_TASK_INDEX</c>,
/// <c>IEXEC_INPUT_FILES_FOLDER</c>, <c>IEXEC_INPUT_FILES_NUMBER</c> (+ <c>IEXEC_INPUT_FILE_NAME_N</c>/<c>_URL_N</c>
/// for each downloaded <c>iexec_input_files</c> URL), <c>IEXEC_APP_DEVELOPER_SECRET</c> and
/// <c>IEXEC_APP_DEVELOPER_SECRET_1</c> (the app's secret in the dev SMS of the deal's framework: the TDX SMS for a
/// tag with the tdx bit, else the main one), <c>IEXEC_REQUESTER_SECRET_N</c> for each
/// <c>iexec_secrets</c> entry N=name (positive-integer keys only, read for the deal's requester), and
/// <c>iexec_args</c> split into argv by <see cref="WorkerArguments.Split"/>; with a dataset, the pre-compute's work
/// first (<see cref="DatasetProvisioner"/>: download, checksum, decryption with the dataset key from the SMS, the file
/// in IEXEC_IN and <c>IEXEC_DATASET_FILENAME</c>);</item>
/// <item>on success: the zip of IEXEC_OUT (encrypted for the beneficiary's public key when the deal asks
/// <c>iexec_result_encryption</c>, the plain output then deleted) goes to the result store, results =
/// <c>{"storage":"ipfs","location":"/ipfs/&lt;cid&gt;"}</c>, and <c>contributeAndFinalize</c> is sent by the worker
/// account with a fresh enclave key per task (enclaveSign and authSign as devnet.md §2.4);</item>
/// <item>on failure (non-zero exit, timeout, missing computed.json or secret, unsupported app): the reason is
/// recorded and the task is made FAILED the only way PoCo allows, <c>claim</c> after the final deadline. That
/// FAST-FORWARDS THE DEVNET CLOCK (<c>evm_increaseTime</c> + <c>evm_mine</c>) past the task's final deadline, which
/// is acceptable on a single-user devnet only. With <see cref="DevWorkerOptions.ClaimFailedTasks"/> false the task is
/// left ACTIVE on chain instead, for its requester to claim after the final deadline, as on iExec's networks.</item>
/// </list>
/// Reports are kept in memory (<see cref="GetReport"/>, served by the market's <c>/tasks/&lt;taskid&gt;</c>) and
/// logged to <c>worker.log</c>. No secret value is logged or reported: app output quoted in a reason is redacted.
/// </summary>
public sealed partial class DevWorker : IAsyncDisposable
{
    private readonly DevWorkerOptions _options;
    private readonly PoCoHub _hub;
    private readonly TransactionSender _scheduler;
    private readonly TransactionSender _worker;
    private readonly ConcurrentDictionary<string, WorkerTaskReport> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkerTaskLogs> _logs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenDeals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _logPath;
    private readonly Lock _logLock = new();
    private readonly HttpClient _downloads = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly DatasetProvisioner _datasets;
    private Task _loop = Task.CompletedTask;
    private long _nextBlock;

    private DevWorker(DevWorkerOptions options)
    {
        _options = options;
        _hub = new PoCoHub(options.Rpc, options.Hub);
        var senderOptions = new TransactionSenderOptions { FeeMode = FeeMode.ZeroGasPriceLegacy };
        _scheduler = new TransactionSender(options.Rpc, options.Scheduler, options.ChainId, senderOptions);
        _worker = new TransactionSender(options.Rpc, options.Worker, options.ChainId, senderOptions);
        _logPath = Path.Combine(options.WorkDirectory, "worker.log");
        _datasets = new DatasetProvisioner(options.Rpc, options.Ipfs.Url, Log);
    }

    /// <summary>The worker account address.</summary>
    public EthAddress Address => _options.Worker.Address;

    /// <summary>Every task the worker has taken, latest state each.</summary>
    public IReadOnlyCollection<WorkerTaskReport> Reports => _reports.Values.ToArray();

    /// <summary>
    /// The app output kept for <paramref name="taskId"/> (0x hex, any case), every provisioned secret value replaced by
    /// <c>***</c>, or null when the app has not run (yet). The devnet workerpool API serves it as the task's logs.
    /// </summary>
    public WorkerTaskLogs? GetLogs(string taskId) =>
        _logs.TryGetValue(taskId.ToLowerInvariant(), out var logs) ? logs : null;

    /// <summary>Starts polling from block 0 (so deals matched before the start are run too) and returns at once.</summary>
    public static DevWorker Start(DevWorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.WorkDirectory);
        var worker = new DevWorker(options);
        worker._loop = Task.Run(() => worker.PollAsync(worker._stopping.Token));
        return worker;
    }

    /// <summary>The report of <paramref name="taskId"/> (0x hex, any case), or null when the worker never took it.</summary>
    public WorkerTaskReport? GetReport(string taskId) =>
        _reports.TryGetValue(taskId.ToLowerInvariant(), out var report) ? report : null;

    /// <summary>Stops polling, waiting for the task in progress to be abandoned.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping mid-task is expected.
        }
        _stopping.Dispose();
        _downloads.Dispose();
        _datasets.Dispose();
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Log($"poll failed: {e.GetType().Name}: {e.Message}");
            }
            await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var latest = await _options.Rpc.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        if (latest < _nextBlock) return;
        var filter = new JsonObject
        {
            ["fromBlock"] = JsonRpcClient.ToQuantity(_nextBlock),
            ["toBlock"] = JsonRpcClient.ToQuantity(latest),
            ["address"] = _options.Hub.ToLowerHex(),
            ["topics"] = new JsonArray(Hex.Encode(EventTopics.SchedulerNotice)),
        };
        var logs = await _options.Rpc.CallAsync("eth_getLogs", [filter], cancellationToken).ConfigureAwait(false);
        foreach (var log in logs.EnumerateArray())
        {
            var topics = log.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray();
            var data = Hex.Decode(log.GetProperty("data").GetString()!);
            // PoCo indexes the workerpool; reading it from data too keeps a non-indexed ABI working.
            var (workerpoolWord, dealId) = topics.Length > 1 ? (topics[1], data[..32]) : (data[..32], data[32..64]);
            var workerpool = EthAddress.FromBytes(workerpoolWord.AsSpan(12, 20));
            if (workerpool != _options.Workerpool || !_seenDeals.Add(Hex.Encode(dealId))) continue;
            await RunDealAsync(dealId, cancellationToken).ConfigureAwait(false);
        }
        _nextBlock = latest + 1;
    }

    private async Task RunDealAsync(byte[] dealId, CancellationToken cancellationToken)
    {
        var deal = await _hub.ViewDealAsync(dealId, cancellationToken).ConfigureAwait(false);
        Log($"deal {Hex.Encode(dealId)}: app {deal.App.Pointer}, requester {deal.Requester}, tasks {deal.BotFirst}..{deal.BotFirst + deal.BotSize - 1}");
        for (var index = deal.BotFirst; index < deal.BotFirst + deal.BotSize; index++)
        {
            await RunTaskAsync(deal, dealId, index, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunTaskAsync(PoCoDeal deal, byte[] dealId, BigInteger index, CancellationToken cancellationToken)
    {
        var taskId = ExecutionIds.TaskId(dealId, index);
        var taskHex = Hex.Encode(taskId);
        var report = new WorkerTaskReport(taskHex, Hex.Encode(dealId), (long)index, deal.App.Pointer.ToString(), WorkerTaskReport.Running,
            null, null, null, null, DateTimeOffset.UtcNow, null);
        _reports[taskHex] = report;
        var secrets = new List<string>();
        string? input = null;
        try
        {
            var task = await _hub.ViewTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (task.Status is PoCoTaskStatus.Completed or PoCoTaskStatus.Failed)
            {
                _reports[taskHex] = report with { State = task.Status == PoCoTaskStatus.Completed ? WorkerTaskReport.Completed : WorkerTaskReport.Failed, Reason = "already final on chain" };
                return;
            }
            if (task.Status == PoCoTaskStatus.Unset)
            {
                await _scheduler.SendAsync(_options.Hub, Abi.EncodeCall("initialize(bytes32,uint256)", dealId, index), cancellationToken: cancellationToken).ConfigureAwait(false);
                Log($"task {taskHex}: initialized");
            }

            var folder = Path.Combine(_options.WorkDirectory, taskHex[2..18] + "-" + Guid.NewGuid().ToString("N")[..6]);
            input = Directory.CreateDirectory(Path.Combine(folder, "iexec_in")).FullName;
            var output = Directory.CreateDirectory(Path.Combine(folder, "iexec_out")).FullName;
            var multiaddr = MultiaddrCodec.Decode(await new AppContract(_options.Rpc, deal.App.Pointer).MultiaddrAsync(cancellationToken).ConfigureAwait(false));
            var parameters = ParseParams(deal.Params);
            var inContainer = AppLauncher.RunsInContainer(multiaddr);
            string? image = null;
            if (inContainer && !AppLauncher.IsIpfs(multiaddr))
            {
                var checksum = await new AppContract(_options.Rpc, deal.App.Pointer).ChecksumAsync(cancellationToken).ConfigureAwait(false);
                image = await ImagePuller.PullAndVerifyAsync(multiaddr, checksum, _options.RegistryCredentials, _options.DockerHost, Log, cancellationToken).ConfigureAwait(false);
            }
            var environment = await BuildEnvironmentAsync(deal, taskHex, index, parameters, folder, input, output, inContainer, secrets, cancellationToken).ConfigureAwait(false);
            var arguments = WorkerArguments.Split(parameters["iexec_args"]?.GetValueKind() == JsonValueKind.String ? parameters["iexec_args"]!.GetValue<string>() : null);

            Log($"task {taskHex}: running {multiaddr} with {arguments.Count} argument(s)");
            var run = await AppLauncher.RunAsync(image ?? multiaddr, arguments, environment, input, output, _options.AppTimeout, _options.DockerHost, cancellationToken).ConfigureAwait(false);
            // What the pre-compute decrypted lives only while the app runs, as in an enclave: the clear dataset is gone
            // before anything is published or settled, so a client that sees the task final never finds it on disk.
            if (!deal.Dataset.Pointer.IsZero) TryDeleteFolder(input);
            _logs[taskHex] = new WorkerTaskLogs(Redact(run.StandardOutput, secrets), Redact(run.StandardError, secrets));
            report = report with { ExitCode = run.ExitCode };
            if (run.ExitCode != 0)
            {
                var detail = LastLine(Redact(run.StandardError, secrets)) ?? LastLine(Redact(run.StandardOutput, secrets));
                throw new WorkerTaskException($"the app exited with code {run.ExitCode}" + (detail is null ? "" : $": {detail}"));
            }

            // The digest is the enclave's, of the plain output; only the archive that leaves is encrypted (post-compute).
            var digest = ResultPackager.ComputeDigest(output, inContainer);
            var archive = ResultPackager.Zip(output);
            if (parameters["iexec_result_encryption"]?.GetValueKind() == JsonValueKind.True)
            {
                archive = await ResultPackager.EncryptAsync(archive, SmsOf(deal), deal.Beneficiary, cancellationToken).ConfigureAwait(false);
                ResultPackager.Clear(output);
                Log($"task {taskHex}: result encrypted for beneficiary {deal.Beneficiary}");
            }
            var cid = await _options.Ipfs.AddAsync(archive, cancellationToken).ConfigureAwait(false);
            var location = "/ipfs/" + cid;
            var results = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { storage = "ipfs", location }));
            await ContributeAndFinalizeAsync(taskId, digest, results, cancellationToken).ConfigureAwait(false);
            _reports[taskHex] = report with
            {
                State = WorkerTaskReport.Completed, ResultLocation = location, ResultDigest = Hex.Encode(digest), FinishedAt = DateTimeOffset.UtcNow,
            };
            Log($"task {taskHex}: COMPLETED, result {location}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is WorkerTaskException ? e.Message : $"{e.GetType().Name}: {Redact(e.Message, secrets)}";
            Log($"task {taskHex}: failing: {reason}");
            report = report with { Reason = reason };
            _reports[taskHex] = report;
            if (!_options.ClaimFailedTasks)
            {
                // As a real workerpool does: the task stays ACTIVE on chain until its requester claims it after the
                // final deadline (Invoke-IExecClaim, iexec task claim).
                _reports[taskHex] = report with { State = WorkerTaskReport.Failed, Reason = $"{reason}; left unclaimed for the requester", FinishedAt = DateTimeOffset.UtcNow };
                Log($"task {taskHex}: FAILED, left unclaimed for the requester");
                return;
            }
            try
            {
                await ClaimAsync(taskId, cancellationToken).ConfigureAwait(false);
                _reports[taskHex] = report with { State = WorkerTaskReport.Failed, FinishedAt = DateTimeOffset.UtcNow };
                Log($"task {taskHex}: FAILED on chain");
            }
            catch (Exception claimFailure) when (!cancellationToken.IsCancellationRequested)
            {
                _reports[taskHex] = report with
                {
                    State = WorkerTaskReport.Failed, Reason = $"{reason}; and it could not be claimed: {claimFailure.Message}", FinishedAt = DateTimeOffset.UtcNow,
                };
                Log($"task {taskHex}: claim failed: {claimFailure.Message}");
            }
        }
        finally
        {
            // A task that failed before or during the app run: its clear dataset and input files go too.
            if (input is not null && !deal.Dataset.Pointer.IsZero) TryDeleteFolder(input);
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file held open by a lingering app: it goes with the work directory.
        }
    }

    private async Task<Dictionary<string, string>> BuildEnvironmentAsync(PoCoDeal deal, string taskHex, BigInteger index, JsonObject parameters,
        string folder, string input, string output, bool inContainer, List<string> secrets, CancellationToken cancellationToken)
    {
        string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
        var inFolder = inContainer ? AppLauncher.ContainerIn : input;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IEXEC_IN"] = inFolder,
            ["IEXEC_OUT"] = inContainer ? AppLauncher.ContainerOut : output,
            ["IEXEC_TASK_ID"] = taskHex,
            ["IEXEC_BOT_SIZE"] = Text(deal.BotSize),
            ["IEXEC_BOT_FIRST_INDEX"] = Text(deal.BotFirst),
            ["IEXEC_BOT_TASK_INDEX"] = Text(index),
            ["IEXEC_INPUT_FILES_FOLDER"] = inFolder,
            ["IEXEC_INPUT_FILES_NUMBER"] = "0",
        };

        if (parameters["iexec_input_files"] is JsonArray inputFiles)
        {
            var number = 0;
            foreach (var url in inputFiles.Select(f => f?.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null))
            {
                number++;
                if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new WorkerTaskException($"input file {number} is not an http(s) URL");
                var name = Path.GetFileName(uri.LocalPath) is { Length: > 0 } fileName ? fileName : $"input-{number}";
                try
                {
                    await File.WriteAllBytesAsync(Path.Combine(input, name), await _downloads.GetByteArrayAsync(uri, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw new WorkerTaskException($"input file {url} could not be downloaded: {e.Message}", e);
                }
                environment[$"IEXEC_INPUT_FILE_NAME_{number}"] = name;
                environment[$"IEXEC_INPUT_FILE_URL_{number}"] = url;
            }
            environment["IEXEC_INPUT_FILES_NUMBER"] = number.ToString(CultureInfo.InvariantCulture);
        }

        // Secret bytes become strings only here, because a process environment is text; the byte copies are zeroed.
        var sms = SmsOf(deal);
        // The pre-compute's part: the dataset, downloaded, checked against its on-chain checksum and decrypted into IEXEC_IN.
        if (!deal.Dataset.Pointer.IsZero)
            await _datasets.ProvisionAsync(deal.Dataset.Pointer, sms, input, folder, environment, secrets, cancellationToken).ConfigureAwait(false);
        var appSecret = await sms.GetAppSecretAsync(deal.App.Pointer, cancellationToken).ConfigureAwait(false);
        if (appSecret is not null)
        {
            try
            {
                var value = Encoding.UTF8.GetString(appSecret);
                secrets.Add(value);
                environment["IEXEC_APP_DEVELOPER_SECRET"] = value;
                environment["IEXEC_APP_DEVELOPER_SECRET_1"] = value;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(appSecret);
            }
        }
        if (parameters["iexec_secrets"] is JsonObject mapping)
        {
            foreach (var (key, nameNode) in mapping)
            {
                if (!PositiveIndex().IsMatch(key) || nameNode?.GetValueKind() != JsonValueKind.String) continue;
                var name = nameNode.GetValue<string>();
                var secret = await sms.GetRequesterSecretAsync(deal.Requester, name, cancellationToken).ConfigureAwait(false)
                    ?? throw new WorkerTaskException($"requester secret \"{name}\" is not set for requester {deal.Requester} in the SMS");
                try
                {
                    var value = Encoding.UTF8.GetString(secret);
                    secrets.Add(value);
                    environment[$"IEXEC_REQUESTER_SECRET_{key}"] = value;
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(secret);
                }
            }
        }
        return environment;
    }

    // A TDX deal reads the TDX SMS, as a TDX worker does: secrets pushed to the other SMS are not there.
    private DevSmsServer SmsOf(PoCoDeal deal) =>
        (deal.Tag[31] & 0x08) != 0 && (deal.Tag[31] & 0x02) == 0 && _options.TdxSms is { } tdx ? tdx : _options.Sms;

    private async Task ContributeAndFinalizeAsync(byte[] taskId, byte[] digest, byte[] results, CancellationToken cancellationToken)
    {
        using var enclave = WalletKey.Generate();
        var worker = _options.Worker.Address.Span.ToArray();
        var resultHash = Keccak256.Hash(taskId, digest);
        var resultSeal = Keccak256.Hash(worker, taskId, digest);
        var enclaveSign = enclave.SignPersonalMessage(Keccak256.Hash(resultHash, resultSeal)).ToBytes();
        var authSign = _options.Scheduler.SignPersonalMessage(Keccak256.Hash(worker, taskId, enclave.Address.Span.ToArray())).ToBytes();
        var calldata = Abi.EncodeCall("contributeAndFinalize(bytes32,bytes32,bytes,bytes,address,bytes,bytes)",
            taskId, digest, results, Array.Empty<byte>(), enclave.Address, enclaveSign, authSign);
        await _worker.SendAsync(_options.Hub, calldata, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task ClaimAsync(byte[] taskId, CancellationToken cancellationToken)
    {
        var task = await _hub.ViewTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (task.Status is not (PoCoTaskStatus.Active or PoCoTaskStatus.Revealing))
            throw new WorkerTaskException($"the task is {task.Status} on chain and cannot be claimed");
        // PoCo only lets a task fail after its final deadline: move the devnet clock past it.
        await DevNetClock.AdvancePastAsync(_options.Rpc, DateTimeOffset.FromUnixTimeSeconds((long)task.FinalDeadline), cancellationToken).ConfigureAwait(false);
        await _worker.SendAsync(_options.Hub, Abi.EncodeCall("claim(bytes32)", taskId), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject ParseParams(string dealParams)
    {
        if (string.IsNullOrWhiteSpace(dealParams)) return [];
        try
        {
            return JsonNode.Parse(dealParams) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            // The SDK turns a non-JSON params string into iexec_args; the worker does the same when reading it back.
            return new JsonObject { ["iexec_args"] = dealParams };
        }
    }

    // The same redaction as Invoke-IExecEnclaveApp: raw values and the quoted/escaped forms apps print them in.
    private static string Redact(string text, List<string> secrets) => new SecretRedactor(secrets).Redact(text);

    private static string? LastLine(string text) =>
        text.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.Length > 0) is { } line
            ? (line.Length > 500 ? line[..500] : line)
            : null;

    private void Log(string line)
    {
        var stamped = $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}";
        lock (_logLock) File.AppendAllText(_logPath, stamped);
    }

    [GeneratedRegex(@"^[1-9]\d*$")]
    private static partial Regex PositiveIndex();
}
