using System.Net;
using System.Net.Http.Headers;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Text;
using IExecSecrets.Core.Net;
using Polly;

namespace IExecSecrets.Core.Sms;

// How each SMS request goes out and what its answer means: existence checks, the write-once push with its
// reconciliation after an ambiguous failure, the idempotent update, the transport rule and retries of every send, and
// the mapping of HTTP statuses to errors.
public sealed partial class SmsClient
{
    private Task<bool> ExistsAsync(Uri uri, string target, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(async ct =>
        {
            using var response = await SendAsync(HttpMethod.Head, uri, null, null, ct).ConfigureAwait(false);
            if (IsSuccess(response.StatusCode)) return true;
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            throw MapStatus(response, target, null);
        }, cancellationToken).AsTask();

    // The first check of every write-once push: an existing secret fails here, before the value is signed or sent.
    // Returning means the SMS said "absent" just before this push, which is what lets PushAsync reconcile.
    private async Task EnsureAbsentAsync(Uri uri, string target, Func<IExecException> exists, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(uri, target, cancellationToken).ConfigureAwait(false)) throw exists();
    }

    // Called only after EnsureAbsentAsync said the secret was absent: so "stored" after an ambiguous failure of
    // this push (and a 409 answering its repeat) can only be this push's value, never an older one.
    private async Task<SmsPushResult> PushAsync(
        Uri uri,
        ReadOnlyMemory<byte> valueUtf8,
        string authorization,
        PushOutcome outcome,
        string target,
        Func<CancellationToken, Task<bool>> existsAsync,
        Func<HttpStatusCode, IExecException?> mapStatus,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        var ambiguous = false;
        try
        {
            return await _retry.ExecuteAsync(async ct =>
            {
                if (ambiguous && await existsAsync(ct).ConfigureAwait(false)) return outcome.Done(reconciled: true, attempts);

                attempts++;
                HttpResponseMessage response;
                try
                {
                    response = await SendAsync(HttpMethod.Post, uri, valueUtf8, authorization, ct).ConfigureAwait(false);
                }
                catch (IExecException e) when (IsTransient(e))
                {
                    ambiguous = true;
                    throw;
                }

                using (response)
                {
                    if (IsSuccess(response.StatusCode)) return outcome.Done(reconciled: false, attempts);
                    // Our earlier attempt may have been stored before its answer was lost: the conflict is with ourselves.
                    if (response.StatusCode == HttpStatusCode.Conflict && ambiguous) return outcome.Done(reconciled: true, attempts);
                    throw MapStatus(response, target, mapStatus);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (IExecException failure) when (IsTransient(failure) && ambiguous)
        {
            // Retries are spent, but the last write may still have landed: the SMS's state decides what to report.
            bool stored;
            try
            {
                stored = await existsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IExecException checkFailure) when (IsTransient(checkFailure))
            {
                throw new IExecException(failure.ErrorId,
                    $"{failure.Message}; whether the secret was stored could not be checked: {checkFailure.Message}", target, failure)
                { RecommendedAction = "Check whether the secret is set before pushing it again." };
            }
            if (stored) return outcome.Done(reconciled: true, attempts);
            throw;
        }
    }

    // A PUT sets the same value however often it lands, so it is retried like a read.
    private Task<SmsPushResult> UpdateAsync(
        Uri uri,
        ReadOnlyMemory<byte> valueUtf8,
        string authorization,
        PushOutcome outcome,
        string target,
        Func<HttpStatusCode, IExecException?> mapStatus,
        CancellationToken cancellationToken)
    {
        var attempts = 0;
        return _retry.ExecuteAsync(async ct =>
        {
            attempts++;
            using var response = await SendAsync(HttpMethod.Put, uri, valueUtf8, authorization, ct).ConfigureAwait(false);
            if (IsSuccess(response.StatusCode)) return outcome.Done(reconciled: false, attempts);
            throw MapStatus(response, target, mapStatus);
        }, cancellationToken).AsTask();
    }

    /// <summary>
    /// Sends one request under the per-request timeout. 5xx answers, connection failures and timeouts become transient
    /// <see cref="IExecException"/>s; any other answer is returned for the caller to interpret.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, ReadOnlyMemory<byte>? body, string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is { } bytes)
        {
            // ReadOnlyMemoryContent streams the caller's buffer as is: no copy, no string, no charset parameter.
            request.Content = new ReadOnlyMemoryContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        }
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IExecException(ErrorIds.SmsTimeout,
                $"SMS at {DisplayUrl} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s", DisplayUrl, e);
        }
        catch (HttpRequestException e)
        {
            throw new IExecException(ErrorIds.SmsUnreachable,
                $"Connection to {DisplayUrl} failed with a network error", DisplayUrl, e);
        }

        if ((int)response.StatusCode >= 500)
        {
            response.Dispose();
            throw new IExecException(ErrorIds.SmsServerError,
                $"Server at {DisplayUrl} encountered an internal error", DisplayUrl);
        }
        if (TransportPolicy.IsRedirect(response.StatusCode))
        {
            // Not transient and not ambiguous: a redirect is answered before anything is stored, and following it
            // would hand the value and its signature to whatever host the Location names.
            using (response) throw TransportPolicy.Redirect(response, "SMS", DisplayUrl, DisplayUrl);
        }
        return response;
    }

    private IExecException MapStatus(HttpResponseMessage response, string target, Func<HttpStatusCode, IExecException?>? specific)
    {
        if (specific?.Invoke(response.StatusCode) is { } mapped) return mapped;
        var status = $"{(int)response.StatusCode} {ForeignText.ReasonPhrase(response)}";
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new IExecException(ErrorIds.SmsBadRequest,
                $"SMS at {DisplayUrl} rejected the request for {target} as invalid ({status})", target),
            HttpStatusCode.RequestEntityTooLarge => new IExecException(ErrorIds.SmsPayloadTooLarge,
                $"SMS at {DisplayUrl} rejected the secret value for {target} as too large ({status})", target),
            HttpStatusCode.Unauthorized => NotAuthorized($"SMS at {DisplayUrl} refused the signature for {target} ({status})", target),
            _ when (int)response.StatusCode is >= 200 and < 300 => new IExecException(ErrorIds.SmsUnexpectedStatus,
                $"SMS answered with unexpected status: {status}{(mediaType is null ? "" : $" ({mediaType})")}; the SMS answers 204, so this is not its answer (a proxy or a login page?) and nothing is counted as stored", target)
            { RecommendedAction = "Check that the SMS URL reaches the SMS itself, not a proxy page." },
            _ => new IExecException(ErrorIds.SmsUnexpectedStatus,
                $"SMS answered with unexpected status: {status}", target),
        };
    }

    private static IExecException RequesterSecretExists(string name, EthAddress requester) =>
        new(ErrorIds.SecretAlreadyExists, $"Secret \"{name}\" already exists for {requester}", name)
        { RecommendedAction = "Requester secrets cannot be changed: push the new value under another name." };

    private static IExecException Web2SecretExists(string name, EthAddress owner) =>
        new(ErrorIds.SecretAlreadyExists, $"Secret \"{name}\" already exists for {owner}", name)
        { RecommendedAction = "Push it again as an update to replace the value." };

    private static IExecException ResourceSecretExists(EthAddress resource) =>
        new(ErrorIds.SecretAlreadyExists, $"Secret already exists for {resource} and can't be updated", resource.ToString());

    private static IExecException NotAuthorized(string message, string target) =>
        new(ErrorIds.SmsNotAuthorized, message, target);

    // iexec-sms answers every successful write and every "exists" with ResponseEntity.noContent(): 204 and no body.
    private static bool IsSuccess(HttpStatusCode status) => status == HttpStatusCode.NoContent;

    private static bool IsTransient(IExecException e) =>
        e.ErrorId is ErrorIds.SmsServerError or ErrorIds.SmsUnreachable or ErrorIds.SmsTimeout;

    private sealed record PushOutcome(SmsSecretKind Kind, EthAddress Address, string? Name)
    {
        public SmsPushResult Done(bool reconciled, int attempts) => new(Kind, Address, Name, reconciled, attempts);
    }
}
