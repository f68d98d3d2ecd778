using System.Net;
using System.Security.Cryptography;
using System.Text;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Datasets;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Net;
using IExecSecrets.Core.PoCo;
using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.DevNet.Worker;

/// <summary>
/// What iExec's TEE pre-compute does for a deal with a dataset (tee-worker-pre-compute <c>PreComputeApp</c>), on the
/// devnet: read the dataset's multiaddr and checksum on chain, download the encrypted file, check its SHA-256 against
/// the checksum, decrypt it (IV-prefixed AES-256-CBC) with the dataset key the dev SMS holds (the web3 secret the owner
/// pushed), and hand it to the app as <c>IEXEC_IN/&lt;dataset address&gt;</c> with <c>IEXEC_DATASET_ADDRESS</c> and
/// <c>IEXEC_DATASET_FILENAME</c> set to that address (lower-case hex, as the worker reads it from the deal).
/// </summary>
/// <remarks>
/// Where the file comes from: an IPFS multiaddr (<c>/ipfs/Qm…</c>, stored as binary multiaddr) from the devnet's IPFS
/// gateway; an https URL from its host; plain http only from a loopback host (the devnet's own servers). Redirects are
/// not followed and a download is capped. Every failure fails the task with a reason that names the step (the
/// pre-compute's cause in parentheses) and never quotes the key or the file.
/// </remarks>
internal sealed class DatasetProvisioner(JsonRpcClient rpc, Uri ipfsGateway, Action<string> log) : IDisposable
{
    /// <summary>The most bytes of encrypted dataset downloaded (beyond: the task fails).</summary>
    public const long MaxDatasetBytes = 1L << 30;

    private readonly HttpClient _http = TransportPolicy.CreateHttpClient(TimeSpan.FromMinutes(5));

    public async Task ProvisionAsync(EthAddress dataset, DevSmsServer sms, string inputFolder, string scratchFolder,
        Dictionary<string, string> environment, List<string> secrets, CancellationToken cancellationToken)
    {
        var contract = new DatasetContract(rpc, dataset);
        var multiaddr = MultiaddrCodec.Decode(await contract.MultiaddrAsync(cancellationToken).ConfigureAwait(false));
        var checksum = await contract.ChecksumAsync(cancellationToken).ConfigureAwait(false);
        var source = SourceOf(multiaddr, dataset);
        var display = TransportPolicy.Display(source);
        var encrypted = Path.Combine(scratchFolder, "dataset.enc");
        var name = dataset.ToLowerHex();
        var plain = Path.Combine(inputFolder, name);
        try
        {
            var actual = await DownloadAsync(source, display, encrypted, cancellationToken).ConfigureAwait(false);
            if (!actual.AsSpan().SequenceEqual(checksum))
            {
                throw new WorkerTaskException($"the dataset {dataset} downloaded from {display} has checksum {DatasetEncryption.ChecksumText(actual)}, "
                    + $"not its on-chain checksum {DatasetEncryption.ChecksumText(checksum)} (PRE_COMPUTE_INVALID_DATASET_CHECKSUM)");
            }
            log($"dataset {dataset}: {new FileInfo(encrypted).Length} bytes from {display}, checksum verified");

            var key = await sms.GetWeb3SecretAsync(dataset, cancellationToken).ConfigureAwait(false)
                ?? throw new WorkerTaskException($"the key of dataset {dataset} is not in the SMS; its owner pushes it with Push-IExecDatasetSecret (PRE_COMPUTE_GET_DATASET_SECRET_FAILED)");
            try
            {
                secrets.Add(Encoding.UTF8.GetString(key).Trim());
                await using var input = File.OpenRead(encrypted);
                await using var output = new FileStream(plain, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                DatasetEncryption.Decrypt(input, key, output, MaxDatasetBytes);
            }
            catch (Exception e) when (e is CryptographicException or InvalidDataException or IExecException)
            {
                TryDelete(plain);
                throw new WorkerTaskException($"the dataset {dataset} cannot be decrypted with the key in the SMS: the key is not this file's, or the file is damaged (PRE_COMPUTE_DATASET_DECRYPTION_FAILED)");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        finally
        {
            TryDelete(encrypted);
        }
        environment["IEXEC_DATASET_ADDRESS"] = name;
        environment["IEXEC_DATASET_FILENAME"] = name;
        log($"dataset {dataset}: decrypted into IEXEC_IN/{name}");
    }

    // The pre-compute's rule: a multiaddr goes to an IPFS gateway (here the devnet's), anything else is a URL.
    private Uri SourceOf(string multiaddr, EthAddress dataset)
    {
        if (AppLauncher.IsIpfs(multiaddr))
        {
            var cid = multiaddr[(multiaddr.LastIndexOf('/') + 1)..];
            return new Uri(ipfsGateway, "/ipfs/" + cid);
        }
        if (!Uri.TryCreate(multiaddr, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new WorkerTaskException($"the multiaddr of dataset {dataset} is neither an IPFS path nor an http(s) URL (PRE_COMPUTE_DATASET_URL_MISSING)");
        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
            throw new WorkerTaskException($"the dataset {dataset} is at {TransportPolicy.Display(url)}: plain http is fetched only from a loopback host on the devnet (PRE_COMPUTE_DATASET_DOWNLOAD_FAILED)");
        return url;
    }

    private async Task<byte[]> DownloadAsync(Uri source, string display, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new WorkerTaskException($"the dataset host {display} answered {(int)response.StatusCode} (PRE_COMPUTE_DATASET_DOWNLOAD_FAILED)");
            if (response.Content.Headers.ContentLength > MaxDatasetBytes)
                throw new WorkerTaskException($"the dataset at {display} is larger than {MaxDatasetBytes} bytes (PRE_COMPUTE_DATASET_DOWNLOAD_FAILED)");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxDatasetBytes) throw new WorkerTaskException($"the dataset at {display} is larger than {MaxDatasetBytes} bytes (PRE_COMPUTE_DATASET_DOWNLOAD_FAILED)");
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            return hash.GetHashAndReset();
        }
        catch (HttpRequestException e)
        {
            throw new WorkerTaskException($"the dataset could not be downloaded from {display}: {e.HttpRequestError} (PRE_COMPUTE_DATASET_DOWNLOAD_FAILED)", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The task folder is the worker's own; a leftover is removed with it.
        }
    }
}
