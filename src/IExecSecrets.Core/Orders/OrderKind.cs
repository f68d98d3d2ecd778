namespace IExecSecrets.Core.Orders;

/// <summary>The four PoCo order kinds.</summary>
public enum OrderKind
{
    /// <summary>An app order (signed by the app owner).</summary>
    App,
    /// <summary>A dataset order (signed by the dataset owner).</summary>
    Dataset,
    /// <summary>A workerpool order (signed by the workerpool owner).</summary>
    Workerpool,
    /// <summary>A request order (signed by the requester).</summary>
    Request,
}
