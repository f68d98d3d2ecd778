using System.Diagnostics.CodeAnalysis;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Config;

/// <summary>
/// Converts <see cref="TeeFramework"/> values from and to the lower-case names the CLI, <c>chain.json</c> and the
/// app <c>mrenclave</c> use. Parsing ignores case, as the SDK lower-cases before comparing, and rejects numbers.
/// </summary>
public static class TeeFrameworks
{
    /// <summary>The wire names in the order the CLI lists them: <c>scone, gramine, tdx</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["scone", "gramine", "tdx"];

    /// <summary>The lower-case wire name, e.g. <c>scone</c>.</summary>
    public static string ToWireName(this TeeFramework framework) => framework switch
    {
        TeeFramework.Scone => "scone",
        TeeFramework.Gramine => "gramine",
        TeeFramework.Tdx => "tdx",
        _ => throw new ArgumentOutOfRangeException(nameof(framework), framework, null),
    };

    /// <summary>Parses <c>scone</c>, <c>gramine</c> or <c>tdx</c> in any case; anything else returns false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TeeFramework framework)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "scone": framework = TeeFramework.Scone; return true;
            case "gramine": framework = TeeFramework.Gramine; return true;
            case "tdx": framework = TeeFramework.Tdx; return true;
            default: framework = default; return false;
        }
    }

    /// <summary>
    /// Parses a framework name in any case, or throws <see cref="IExecException"/>
    /// <see cref="ErrorIds.UnknownTeeFramework"/> with the CLI's <c>Allowed choices are scone, gramine, tdx.</c>
    /// </summary>
    public static TeeFramework Parse(string? text)
    {
        if (TryParse(text, out var framework)) return framework;
        throw new IExecException(
            ErrorIds.UnknownTeeFramework,
            $"TEE framework '{text}' is invalid. Allowed choices are {string.Join(", ", Names)}.",
            text);
    }
}
