namespace IExecSecrets.Core.Sms;

/// <summary>The four kinds of secret the SMS stores, each with its own route, challenge and owner rule.</summary>
public enum SmsSecretKind
{
    /// <summary>A named secret of a requester, mapped into tasks by <c>iexec_secrets</c>; write-once.</summary>
    Requester,

    /// <summary>The single app developer secret of an app, pushed by the app's on-chain owner; write-once.</summary>
    App,

    /// <summary>A named secret the workers read (result encryption key, storage tokens); the only kind that can be updated.</summary>
    Web2,

    /// <summary>The key of a dataset, pushed by the dataset's on-chain owner; write-once.</summary>
    Web3,
}
