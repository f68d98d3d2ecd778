namespace IExecSecrets.DevNet.Sms;

/// <summary>The ways an injected fault makes a request fail.</summary>
public enum DevSmsFaultKind
{
    /// <summary>Answers 500 with no body.</summary>
    ServerError,

    /// <summary>Drops the connection without an answer.</summary>
    ConnectionReset,

    /// <summary>Holds the request for <see cref="DevSmsFaults.Delay"/> (longer than the client waits), then drops it.</summary>
    Delay,

    /// <summary>
    /// A write of a secret that already exists answers 500 instead of 409 (the secret stays as it was); writes of absent
    /// secrets are served faithfully. The case where "exists" after a 5xx must not be read as "this push stored it".
    /// </summary>
    ExistingThenServerError,

    /// <summary>
    /// Answers 302 to <see cref="DevSmsServer.RedirectTargetPath"/>, a page that answers 200 with HTML (as a login page
    /// behind a proxy does), without storing anything. Hits on that page are counted in
    /// <see cref="DevSmsServer.RedirectTargetHits"/>: a client that follows the redirect is caught there.
    /// </summary>
    Redirect,

    /// <summary>Answers 200 with an HTML page (a proxy's error or login page) without storing anything.</summary>
    ProxyHtmlPage,
}
