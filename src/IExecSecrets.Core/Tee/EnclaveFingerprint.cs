using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// The MRENCLAVE a sconified image prints under <c>SCONE_HASH=1</c>: 64 lower-case hex characters, no <c>0x</c>,
/// checked with the iapp tool's <c>^([0-9a-f]{2}){32}$</c> after trimming.
/// </summary>
public static partial class EnclaveFingerprint
{
    [GeneratedRegex("^([0-9a-f]{2}){32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>
    /// Returns the trimmed fingerprint in <paramref name="output"/>, or throws <see cref="ErrorIds.InvalidFingerprint"/>
    /// naming the image and the length printed (the output itself is not echoed: it is arbitrary container text).
    /// </summary>
    public static string Parse(string output, string image)
    {
        var trimmed = output.Trim();
        if (Pattern().IsMatch(trimmed)) return trimmed;
        throw new IExecException(
            ErrorIds.InvalidFingerprint,
            $"\"{image}\" run with SCONE_HASH=1 printed {trimmed.Length} characters, not a 64-character lower-case hex MRENCLAVE.",
            image)
        { RecommendedAction = "Check that the image was produced by the sconify image and that its SCONE runtime honours SCONE_HASH=1." };
    }
}
