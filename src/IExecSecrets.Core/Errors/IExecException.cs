namespace IExecSecrets.Core.Errors;

/// <summary>
/// Every failure Core reports. Each carries a stable PascalCase <see cref="ErrorId"/> (what tests and runbooks match
/// on), the one <see cref="Category"/> and default recommended action <see cref="ErrorCatalogue"/> gives that id, and
/// the name or address acted on as <see cref="Target"/>, never a secret value. Messages never contain secret values either.
/// </summary>
/// <remarks>
/// Messages quote remote parties (an SMS reason phrase, an RPC node's error, a market's or workerpool's error text) and
/// files (chain.json), so the message and the recommended action pass
/// <see cref="Text.ForeignText.Clean"/>: whatever the quote holds, no terminal control character reaches the console.
/// </remarks>
public class IExecException : Exception
{
    /// <summary>
    /// Creates an error with its id, message and acted-on target. There is no constructor taking a category: it comes
    /// from <see cref="ErrorCatalogue"/>, so one id never has two.
    /// </summary>
    public IExecException(string errorId, string message, object? target = null, Exception? inner = null)
        : base(Text.ForeignText.Clean(message), inner)
    {
        ErrorId = errorId;
        Category = ErrorCatalogue.CategoryOf(errorId);
        // Kept as given: it is the acted-on item (a pipeline item's name, an address, a URL already shown through
        // TransportPolicy.Display), which scripts match errors against; remote free text never is a target.
        Target = target;
    }

    /// <summary>Stable PascalCase id, e.g. <c>SecretAlreadyExists</c>.</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure this is: the catalogue's category of <see cref="ErrorId"/>.</summary>
    public IExecErrorCategory Category { get; }

    /// <summary>The secret name, address, file or URL acted on; never a secret value.</summary>
    public object? Target { get; }

    /// <summary>
    /// What the user does next: the throw site's own hint when it gives one (it knows the case), else the catalogue's
    /// default for <see cref="ErrorId"/>.
    /// </summary>
    public string? RecommendedAction
    {
        get => _recommendedAction ?? ErrorCatalogue.ActionOf(ErrorId);
        init => _recommendedAction = value is null ? null : Text.ForeignText.Clean(value);
    }

    private readonly string? _recommendedAction;
}
