using System.Globalization;
using System.Numerics;
using System.Text.Json;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Crypto;

/// <summary>
/// The one kind of login challenge iExec services hand out for a wallet to sign: EIP-712 typed data whose primary type
/// is <c>Challenge</c> with exactly one <c>string challenge</c> member, under a domain of exactly <c>name</c>,
/// <c>version</c> and <c>chainId</c> (no verifying contract). iexec-core serves it for task logs with the domain name
/// <c>iExec Core</c>, iexec-market-api with <c>iExec Gateway</c>. <see cref="Validate"/> is the one check of such a
/// document; <c>MarketChallenge</c> and the task-log client both call it with their own domain and error.
/// </summary>
/// <remarks>
/// The server decides only the random challenge string. Everything else that goes into the digest (the type
/// strings, the domain name and version, the chain id) is checked against what the caller expects and then rebuilt
/// here, so a hostile server cannot make the wallet sign anything else: not a PoCo order under the hub's domain, not a
/// challenge for another chain, not a struct with extra members.
/// </remarks>
public sealed class ChallengeTypedData
{
    private static readonly TypedDataType DomainType = new("EIP712Domain",
        [new TypedDataField("name", "string"), new TypedDataField("version", "string"), new TypedDataField("chainId", "uint256")]);

    private static readonly TypedDataType ChallengeType = new("Challenge", [new TypedDataField("challenge", "string")]);

    private ChallengeTypedData(string domainName, string domainVersion, ulong chainId, string challenge)
    {
        DomainName = domainName;
        DomainVersion = domainVersion;
        ChainId = chainId;
        Challenge = challenge;
    }

    /// <summary>The domain name the caller expected and the server sent.</summary>
    public string DomainName { get; }

    /// <summary>The domain version, always <c>1</c>.</summary>
    public string DomainVersion { get; }

    /// <summary>The chain id the caller expected and the server sent.</summary>
    public ulong ChainId { get; }

    /// <summary>The server's random challenge string.</summary>
    public string Challenge { get; }

    /// <summary>The EIP-712 digest rebuilt from the checked values: what the wallet signs.</summary>
    public byte[] Digest() => TypedDataHasher.Digest(
        TypedDataHasher.HashStruct(DomainType, [DomainName, DomainVersion, new BigInteger(ChainId)]),
        TypedDataHasher.HashStruct(ChallengeType, [Challenge]));

    /// <summary>
    /// The <c>authorization</c> header value iExec services expect: <c>digest_signature_address</c>, all 0x hex,
    /// as the SDK's <c>getAuthorization</c> builds it.
    /// </summary>
    public string Authorize(IEthSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var digest = Digest();
        return Hex.Encode(digest) + "_" + signer.SignDigest(digest).ToHex() + "_" + signer.Address;
    }

    /// <summary>
    /// Checks <paramref name="typedData"/> (the challenge document, or its <c>data</c> member) and keeps only its
    /// challenge string. Anything other than the exact shape above, another domain name or version, or another chain
    /// id fails with <see cref="ErrorIds.HostileChallenge"/> (SecurityError) naming <paramref name="service"/>.
    /// </summary>
    public static ChallengeTypedData Parse(JsonElement typedData, string expectedDomainName, ulong expectedChainId, string service)
    {
        ArgumentNullException.ThrowIfNull(expectedDomainName);
        if (typedData.ValueKind == JsonValueKind.Object && typedData.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            typedData = data;
        }

        var challenge = Validate(typedData, expectedDomainName, expectedChainId, 512, why => Hostile(service, why));
        return new ChallengeTypedData(expectedDomainName, "1", expectedChainId, challenge);
    }

    /// <summary>The EIP-712 digest of <paramref name="challenge"/> under the domain <paramref name="domainName"/>, version 1, <paramref name="chainId"/>.</summary>
    public static byte[] Hash(string domainName, ulong chainId, string challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return new ChallengeTypedData(domainName, "1", chainId, challenge).Digest();
    }

    /// <summary>
    /// The one check of a login challenge document, shared by the market and the task-log logins: exactly the members
    /// types, domain, primaryType and message, no repeated member; types exactly EIP712Domain [string name, string
    /// version, uint256 chainId] and Challenge [string challenge]; primaryType Challenge; the domain exactly
    /// <paramref name="domainName"/>, version 1 and <paramref name="chainId"/>; the message only a challenge string of 1
    /// to <paramref name="maxLength"/> characters. Returns that string; anything else throws what
    /// <paramref name="refused"/> builds from the reason.
    /// </summary>
    public static string Validate(JsonElement typedData, string domainName, ulong chainId, int maxLength, Func<string, IExecException> refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        Exact(typedData, "the challenge", refused, "types", "domain", "primaryType", "message");
        var types = typedData.GetProperty("types");
        Exact(types, "types", refused, "EIP712Domain", "Challenge");
        Fields(types.GetProperty("EIP712Domain"), DomainType, refused);
        Fields(types.GetProperty("Challenge"), ChallengeType, refused);
        if (typedData.GetProperty("primaryType") is not { ValueKind: JsonValueKind.String } primary || primary.GetString() != "Challenge")
            throw refused("its primaryType is not Challenge");

        var domain = typedData.GetProperty("domain");
        Exact(domain, "domain", refused, "name", "version", "chainId");
        if (domain.GetProperty("name") is not { ValueKind: JsonValueKind.String } name || name.GetString() != domainName)
            throw refused($"its domain name is not \"{domainName}\"");
        if (domain.GetProperty("version") is not { ValueKind: JsonValueKind.String } version || version.GetString() != "1")
            throw refused("its domain version is not \"1\"");
        var chain = domain.GetProperty("chainId");
        var chainText = chain.ValueKind switch
        {
            JsonValueKind.Number => chain.GetRawText(),
            JsonValueKind.String => chain.GetString(),
            _ => null,
        };
        if (chainText is null || !ulong.TryParse(chainText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value != chainId)
            throw refused($"its domain chainId is {chainText ?? chain.ValueKind.ToString()}, not {chainId}");

        var message = typedData.GetProperty("message");
        Exact(message, "message", refused, "challenge");
        if (message.GetProperty("challenge") is not { ValueKind: JsonValueKind.String } text || text.GetString() is not { Length: > 0 } challenge || challenge.Length > maxLength)
            throw refused($"its challenge is not a string of 1 to {maxLength} characters");
        return challenge;
    }

    private static void Exact(JsonElement element, string what, Func<string, IExecException> refused, params string[] members)
    {
        if (element.ValueKind != JsonValueKind.Object) throw refused($"{what} is not an object");
        var names = element.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count()) throw refused($"{what} repeats a member");
        var extra = names.Except(members, StringComparer.Ordinal).ToList();
        if (extra.Count > 0) throw refused($"{what} has unexpected member(s) {string.Join(", ", extra)}");
        var missing = members.Except(names, StringComparer.Ordinal).ToList();
        if (missing.Count > 0) throw refused($"{what} lacks {string.Join(", ", missing)}");
    }

    private static void Fields(JsonElement array, TypedDataType expected, Func<string, IExecException> refused)
    {
        var shape = $"types.{expected.Name} is not [{string.Join(", ", expected.Fields.Select(f => f.Type + " " + f.Name))}]";
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != expected.Fields.Count) throw refused(shape);
        var i = 0;
        foreach (var field in array.EnumerateArray())
        {
            Exact(field, $"types.{expected.Name}[{i}]", refused, "name", "type");
            if (field.GetProperty("name").ValueKind != JsonValueKind.String || field.GetProperty("name").GetString() != expected.Fields[i].Name
                || field.GetProperty("type").ValueKind != JsonValueKind.String || field.GetProperty("type").GetString() != expected.Fields[i].Type)
                throw refused(shape);
            i++;
        }
    }

    private static IExecException Hostile(string service, string why) => new(
        ErrorIds.HostileChallenge,
        $"Refused to sign the login challenge from {service}: {why}. Only an iExec 'Challenge' typed-data document for this chain is signed.",
        service)
    {
        RecommendedAction = "Check that the URL really is the iExec service of this chain; nothing was signed.",
    };
}
