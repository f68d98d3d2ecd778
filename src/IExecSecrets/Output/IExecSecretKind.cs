namespace IExecSecrets.Output;

/// <summary>The four kinds of secret the iExec SMS keeps, each with its own route and owner rule.</summary>
public enum IExecSecretKind
{
    /// <summary>A named secret of a requester account, exposed to its tasks as IEXEC_REQUESTER_SECRET_N. Immutable.</summary>
    Requester,

    /// <summary>The single developer secret of an app, signed by the app owner. Immutable.</summary>
    App,

    /// <summary>A named web2 secret of an account (result encryption key, storage tokens); updatable with -Force.</summary>
    Web2,

    /// <summary>The key of a dataset (web3 secret), signed by the dataset owner. Immutable.</summary>
    Dataset,
}
