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
}
