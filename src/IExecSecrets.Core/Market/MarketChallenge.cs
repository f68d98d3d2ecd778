using System.Text.Json;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Market;

/// <summary>
/// The only typed data the module signs for a market: iexec-market-api's login challenge,
/// <c>{types:{EIP712Domain:[name string, version string, chainId uint256], Challenge:[challenge string]},
/// domain:{name:"iExec Gateway", version:"1", chainId}, primaryType:"Challenge", message:{challenge}}</c>, whose
/// authorization header is <c>hash_signature_address</c>. Anything else a market calls a challenge (a PoCo order
/// under the hub's domain, another domain or chain id, extra members or types) is refused before signing with
/// <see cref="ErrorIds.InvalidMarketChallenge"/>: a signature is only given for something that cannot be anything
/// but a market login.
/// </summary>
public static class MarketChallenge
{
    /// <summary>The market's EIP-712 domain name.</summary>
    public const string DomainName = "iExec Gateway";

    /// <summary>The market's EIP-712 domain version.</summary>
    public const string DomainVersion = "1";

    /// <summary>Longest challenge text accepted (the market's is 77 characters).</summary>
    public const int MaxChallengeLength = 1024;

    /// <summary>The EIP-712 digest of the challenge <paramref name="challenge"/> on <paramref name="chainId"/>.</summary>
    public static byte[] Hash(ulong chainId, string challenge) => ChallengeTypedData.Hash(DomainName, chainId, challenge);

    /// <summary>
    /// Checks that <paramref name="typedData"/> (the <c>data</c> member of <c>GET /challenge</c>) is exactly the
    /// market's challenge for <paramref name="chainId"/> and returns the challenge text; otherwise throws
    /// <see cref="ErrorIds.InvalidMarketChallenge"/> naming what is wrong, with <paramref name="market"/> as target.
    /// </summary>
    public static string Validate(JsonElement typedData, ulong chainId, string market) =>
        ChallengeTypedData.Validate(typedData, DomainName, chainId, MaxChallengeLength, why => Refused(market, why));

    /// <summary>
    /// The <c>authorization</c> header for <paramref name="challenge"/>: the digest as 0x hex, the signer's signature
    /// (65 bytes as 0x hex) and its address (EIP-55), joined by <c>_</c>, as the iexec SDK sends it.
    /// </summary>
    public static string Authorize(ulong chainId, string challenge, IEthSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var digest = Hash(chainId, challenge);
        return Hex.Encode(digest) + "_" + signer.SignDigest(digest).ToHex() + "_" + signer.Address;
    }

    private static IExecException Refused(string market, string why) =>
        new(ErrorIds.InvalidMarketChallenge,
            $"The market at {market} sent a challenge that is not iexec-market-api's login challenge ({why}); it was not signed.", market)
        {
            RecommendedAction = "Check the chain's iexecGateway URL: only the market's own EIP-712 Challenge (domain \"iExec Gateway\", version 1, this chain id) is signed.",
        };
}
