using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.DevNet.Chain;

/// <summary>
/// A running anvil node on a free 127.0.0.1 port, bellecour-like: chain id 134, base fee 0, gas price 0, no minimum
/// tip, automine. The binary is spawned directly (no npm wrapper, so the PID is the node). Disposing kills it;
/// the process is also killed when the host process exits normally.
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable
{
    /// <summary>The chain id the devnet runs, bellecour's.</summary>
    public const ulong DevNetChainId = 134;

    private readonly Process _process;
    private int _disposed;

    private AnvilProcess(Process process, Uri rpcUrl)
    {
        _process = process;
        RpcUrl = rpcUrl;
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    /// <summary>The HTTP JSON-RPC endpoint.</summary>
    public Uri RpcUrl { get; }

    /// <summary>The node's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the node runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>
    /// Starts anvil and waits until it answers <c>eth_chainId</c> with 134. A port taken between picking and binding
    /// is retried on another port. Fails with a <see cref="DevNetException"/> if anvil is missing or never answers.
    /// </summary>
    public static async Task<AnvilProcess> StartAsync(string anvilPath, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(anvilPath))
        {
            throw new DevNetException(DevNetErrorId.AnvilNotInstalled,
                $"anvil was not found at {anvilPath}.", anvilPath) { RecommendedAction = "Run eng/setup.sh." };
        }
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(anvilPath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var argument in new[]
            {
                "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--chain-id", DevNetChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--base-fee", "0", "--gas-price", "0", "--disable-min-priority-fee", "--silent",
            })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("anvil did not start.");
            // Drain the pipes so a chatty node can never block on a full buffer.
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var anvil = new AnvilProcess(process, new Uri($"http://127.0.0.1:{port}"));
            try
            {
                await anvil.WaitUntilReadyAsync(TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
                return anvil;
            }
            catch (Exception e) when (e is DevNetException or IExecException)
            {
                last = e;
                await anvil.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await anvil.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        throw last!;
    }

    /// <summary>A JSON-RPC client for this node (the caller disposes it).</summary>
    public JsonRpcClient CreateClient() => new(RpcUrl, maxRetries: 2, firstRetryDelay: TimeSpan.FromMilliseconds(50));

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var rpc = new JsonRpcClient(RpcUrl, maxRetries: 0);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new DevNetException(DevNetErrorId.AnvilExited,
                    $"anvil exited with code {_process.ExitCode} before answering on {RpcUrl}.", RpcUrl.ToString());
            }
            try
            {
                var chainId = await rpc.ChainIdAsync(cancellationToken).ConfigureAwait(false);
                if (chainId == DevNetChainId) return;
            }
            catch (IExecException) when (deadline.Elapsed < timeout)
            {
            }
            if (deadline.Elapsed >= timeout)
            {
                throw new DevNetException(DevNetErrorId.AnvilNotAnswering,
                    $"anvil did not answer on {RpcUrl} within {timeout.TotalSeconds:0} s.", RpcUrl.ToString());
            }
            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnHostExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the node and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        Kill();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The kill was sent; nothing more can be done.
        }
        _process.Dispose();
    }
}
