using System.Globalization;
using System.Numerics;
using System.Text.Json;
using IExecSecrets.Core.Crypto;
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

    private static readonly TypedDataType DomainType = new("EIP712Domain",
        [new("name", "string"), new("version", "string"), new("chainId", "uint256")]);

    private static readonly TypedDataType ChallengeType = new("Challenge", [new("challenge", "string")]);

    /// <summary>The EIP-712 digest of the challenge <paramref name="challenge"/> on <paramref name="chainId"/>.</summary>
    public static byte[] Hash(ulong chainId, string challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var separator = TypedDataHasher.HashStruct(DomainType, [DomainName, DomainVersion, new BigInteger(chainId)]);
        return TypedDataHasher.Digest(separator, TypedDataHasher.HashStruct(ChallengeType, [challenge]));
    }

    /// <summary>
    /// Checks that <paramref name="typedData"/> (the <c>data</c> member of <c>GET /challenge</c>) is exactly the
    /// market's challenge for <paramref name="chainId"/> and returns the challenge text; otherwise throws
    /// <see cref="ErrorIds.InvalidMarketChallenge"/> naming what is wrong, with <paramref name="market"/> as target.
    /// </summary>
    public static string Validate(JsonElement typedData, ulong chainId, string market)
    {
        Exact(typedData, "the challenge", market, "types", "domain", "primaryType", "message");
        var types = typedData.GetProperty("types");
        Exact(types, "types", market, "EIP712Domain", "Challenge");
        Fields(types.GetProperty("EIP712Domain"), "types.EIP712Domain", market, ("name", "string"), ("version", "string"), ("chainId", "uint256"));
        Fields(types.GetProperty("Challenge"), "types.Challenge", market, ("challenge", "string"));
        if (typedData.GetProperty("primaryType") is not { ValueKind: JsonValueKind.String } primary || primary.GetString() != "Challenge")
            throw Refused(market, "its primaryType is not Challenge");

        var domain = typedData.GetProperty("domain");
        Exact(domain, "domain", market, "name", "version", "chainId");
        if (domain.GetProperty("name") is not { ValueKind: JsonValueKind.String } name || name.GetString() != DomainName)
            throw Refused(market, $"its domain name is not \"{DomainName}\"");
        if (domain.GetProperty("version") is not { ValueKind: JsonValueKind.String } version || version.GetString() != DomainVersion)
            throw Refused(market, $"its domain version is not \"{DomainVersion}\"");
        var chain = domain.GetProperty("chainId");
        var chainText = chain.ValueKind switch
        {
            JsonValueKind.Number => chain.GetRawText(),
            JsonValueKind.String => chain.GetString(),
            _ => null,
        };
        if (chainText is null || !ulong.TryParse(chainText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value != chainId)
            throw Refused(market, $"its domain chainId is {chainText ?? chain.ValueKind.ToString()}, not {chainId}");

        var message = typedData.GetProperty("message");
        Exact(message, "message", market, "challenge");
        if (message.GetProperty("challenge") is not { ValueKind: JsonValueKind.String } text || text.GetString() is not { Length: > 0 and <= MaxChallengeLength } challenge)
            throw Refused(market, $"its challenge is not a string of 1 to {MaxChallengeLength} characters");
        return challenge;
    }

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

    private static void Exact(JsonElement element, string what, string market, params string[] members)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Refused(market, $"{what} is not an object");
        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count()) throw Refused(market, $"{what} repeats a member");
        var extra = names.Except(members, StringComparer.Ordinal).ToList();
        if (extra.Count > 0) throw Refused(market, $"{what} has unexpected member(s) {string.Join(", ", extra)}");
        var missing = members.Except(names, StringComparer.Ordinal).ToList();
        if (missing.Count > 0) throw Refused(market, $"{what} lacks {string.Join(", ", missing)}");
    }

    private static void Fields(JsonElement array, string what, string market, params (string Name, string Type)[] expected)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != expected.Length)
            throw Refused(market, $"{what} is not [{string.Join(", ", expected.Select(e => e.Type + " " + e.Name))}]");
        var i = 0;
        foreach (var field in array.EnumerateArray())
        {
            Exact(field, what + "[" + i + "]", market, "name", "type");
            if (field.GetProperty("name").ValueKind != JsonValueKind.String || field.GetProperty("name").GetString() != expected[i].Name
                || field.GetProperty("type").ValueKind != JsonValueKind.String || field.GetProperty("type").GetString() != expected[i].Type)
                throw Refused(market, $"{what} is not [{string.Join(", ", expected.Select(e => e.Type + " " + e.Name))}]");
            i++;
        }
    }

    private static IExecException Refused(string market, string why) =>
        new(ErrorIds.InvalidMarketChallenge, IExecErrorCategory.SecurityError,
            $"The market at {market} sent a challenge that is not iexec-market-api's login challenge ({why}); it was not signed.", market)
        {
            RecommendedAction = "Check the chain's iexecGateway URL: only the market's own EIP-712 Challenge (domain \"iExec Gateway\", version 1, this chain id) is signed.",
        };
}
