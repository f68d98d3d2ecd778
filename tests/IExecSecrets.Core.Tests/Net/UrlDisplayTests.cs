using System.Net;
using IExecSecrets.Core.Net;

namespace IExecSecrets.Core.Tests.Net;

/// <summary>
/// What the module prints of a URL it was given as text (chain.json, Compass, a registry) and which statuses it treats as
/// redirects. Found by Stryker: no test held the host check of an unparseable URL or the 300 boundary.
/// </summary>
public sealed class UrlDisplayTests
{
    [Theory]
    // A scheme the Uri parser is not asked about: scheme and host only, never the credentials, port or path.
    [InlineData("ws://user:secret@evil.example:99/path?token=secret", "ws://evil.example")]
    // Credentials and no host: nothing of it can be shown, not even "ws://".
    [InlineData("ws://user:secret@/path", "(an unparseable URL)")]
    [InlineData("user:secret at nowhere", "(an unparseable URL)")]
    public void Display_UrlTextThatIsNoHttpUrl_ShowsSchemeAndHostOrAPlaceholder_NeverTheCredentials(string text, string shown)
    {
        Assert.Equal(shown, TransportPolicy.Display(text));
        Assert.DoesNotContain("secret", TransportPolicy.Display(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(299, false)]
    [InlineData(300, true)]
    [InlineData(302, true)]
    [InlineData(399, true)]
    [InlineData(400, false)]
    public void IsRedirect_IsEvery3xxStatus(int status, bool redirect) =>
        Assert.Equal(redirect, TransportPolicy.IsRedirect((HttpStatusCode)status));
}
