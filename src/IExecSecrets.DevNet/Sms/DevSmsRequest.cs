namespace IExecSecrets.DevNet.Sms;

/// <summary>
/// One request as the dev SMS received it, for tests that check the wire format. It records the shape of the
/// request, never the secret value or the signature.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawTarget">The request target exactly as sent (path and query, still percent-encoded).</param>
/// <param name="ContentType">The <c>Content-Type</c> header, or null.</param>
/// <param name="HasAuthorization">Whether an <c>Authorization</c> header was present.</param>
/// <param name="BodyLength">The number of body bytes received.</param>
public sealed record DevSmsRequest(string Method, string RawTarget, string? ContentType, bool HasAuthorization, int BodyLength);
