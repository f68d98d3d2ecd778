using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace IExecSecrets.DevNet.Ipfs;

/// <summary>
/// A content-addressed blob store served like an IPFS gateway, for task results. <c>POST /ipfs</c> or
/// <c>PUT /ipfs</c> with raw bytes stores them and answers <c>{"Hash":"Qm…","Size":n}</c> (200);
/// <c>GET /ipfs/&lt;cid&gt;</c> serves them (<c>application/zip</c> when they start with the zip signature,
/// <c>application/octet-stream</c> otherwise) and 404s for unknown or malformed CIDs. CIDs come from
/// <see cref="ContentId"/> (sha2-256 of the raw bytes, not a UnixFS DAG). Each blob is one file named by its CID in
/// <see cref="Directory"/>; writes go through a temporary file and a rename, so readers never see half a blob.
/// Listens on 127.0.0.1 only.
/// </summary>
public sealed class DevIpfsGateway : IAsyncDisposable
{
    private const int MaxBlobBytes = 64 << 20;
    private static readonly byte[] ZipSignature = [0x50, 0x4b, 0x03, 0x04];
    private readonly WebApplication _app;

    private DevIpfsGateway(WebApplication app, string directory)
    {
        _app = app;
        Directory = directory;
        Url = null!;
    }

    /// <summary>The folder holding one file per stored blob.</summary>
    public string Directory { get; }

    /// <summary>The gateway base URL, e.g. <c>http://127.0.0.1:41235</c> (no trailing slash).</summary>
    public Uri Url { get; private set; }

    /// <summary>Starts the gateway on 127.0.0.1 (port 0 picks a free one) storing blobs in <paramref name="directory"/>.</summary>
    public static async Task<DevIpfsGateway> StartAsync(string directory, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var fullPath = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(fullPath);
        var app = LoopbackWebHost.Build(port, MaxBlobBytes);
        var gateway = new DevIpfsGateway(app, fullPath);
        app.MapMethods("/ipfs", ["POST", "PUT"], gateway.AddFromRequestAsync);
        app.MapMethods("/ipfs/{cid}", ["GET", "HEAD"], gateway.ServeAsync);
        gateway.Url = await LoopbackWebHost.StartAsync(app, cancellationToken).ConfigureAwait(false);
        return gateway;
    }

    /// <summary>Stores <paramref name="content"/> (idempotent: the same bytes give the same CID) and returns its CID.</summary>
    public async Task<string> AddAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var cid = ContentId.Compute(content.Span);
        var target = Path.Combine(Directory, cid);
        if (File.Exists(target)) return cid;
        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
        return cid;
    }

    /// <summary>The bytes stored under <paramref name="cid"/>, or null when unknown or malformed.</summary>
    public async Task<byte[]?> TryGetAsync(string cid, CancellationToken cancellationToken = default)
    {
        if (!ContentId.IsValid(cid)) return null;
        var path = Path.Combine(Directory, cid);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Stops listening; stored blobs stay on disk.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AddFromRequestAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var cid = await AddAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { Hash = cid, Size = buffer.Length }), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var content = await TryGetAsync((string)context.Request.RouteValues["cid"]!, context.RequestAborted).ConfigureAwait(false);
        if (content is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ipfs resolve: not found", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = content.AsSpan().StartsWith(ZipSignature) ? "application/zip" : "application/octet-stream";
        context.Response.ContentLength = content.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }
}
