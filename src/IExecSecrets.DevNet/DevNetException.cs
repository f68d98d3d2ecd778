namespace IExecSecrets.DevNet;

/// <summary>
/// Why the local development network could not be set up. These are the devnet's own ids, never the product's
/// <c>ErrorIds</c>: a missing anvil binary or PoCo package is a broken test set-up, not an unreachable RPC node, and a
/// test or script matching the product's <c>RpcUnreachable</c> must not be satisfied by one.
/// </summary>
public enum DevNetErrorId
{
    /// <summary>The anvil binary is not where the repository layout says (eng/setup.sh installs it).</summary>
    AnvilNotInstalled,

    /// <summary>anvil exited before answering its first request.</summary>
    AnvilExited,

    /// <summary>anvil ran but did not answer <c>eth_chainId</c> with the devnet's chain id in time.</summary>
    AnvilNotAnswering,

    /// <summary>The PoCo package or the RLC token artifact is missing (eng/setup.sh installs them).</summary>
    PoCoPackageNotInstalled,
}

/// <summary>A devnet set-up failure: its <see cref="DevNetErrorId"/>, the path or URL acted on, and what to do next.</summary>
public sealed class DevNetException : Exception
{
    /// <summary>Creates the failure <paramref name="errorId"/> about <paramref name="target"/>.</summary>
    public DevNetException(DevNetErrorId errorId, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Target = target;
    }

    /// <summary>What failed.</summary>
    public DevNetErrorId ErrorId { get; }

    /// <summary>The file, folder or URL acted on.</summary>
    public string? Target { get; }

    /// <summary>What to do next, when there is something to do.</summary>
    public string? RecommendedAction { get; init; }
}
