using System.Globalization;
using System.Numerics;
using System.Text.Json;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Crypto;

/// <summary>
/// The one kind of login challenge iExec services hand out for a wallet to sign: EIP-712 typed data whose primary type
/// is <c>Challenge</c> with exactly one <c>string challenge</c> member, under a domain of exactly <c>name</c>,
/// <c>version</c> and <c>chainId</c> (no verifying contract). iexec-core serves it for task logs with the domain name
/// <c>iExec Core</c>, iexec-market-api with <c>iExec Gateway</c>.
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

        if (typedData.ValueKind != JsonValueKind.Object) throw Hostile(service, "it is not a JSON object");
        if (!typedData.TryGetProperty("types", out var types) || types.ValueKind != JsonValueKind.Object)
            throw Hostile(service, "it has no types");
        var typeNames = types.EnumerateObject().Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (!typeNames.SequenceEqual(["Challenge", "EIP712Domain"], StringComparer.Ordinal))
            throw Hostile(service, $"it declares the types {string.Join(", ", typeNames)} instead of EIP712Domain and Challenge");
        if (typedData.TryGetProperty("primaryType", out var primary) && (primary.ValueKind != JsonValueKind.String || primary.GetString() != "Challenge"))
            throw Hostile(service, "its primary type is not Challenge");
        CheckFields(types.GetProperty("EIP712Domain"), DomainType, service);
        CheckFields(types.GetProperty("Challenge"), ChallengeType, service);

        if (!typedData.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.Object)
            throw Hostile(service, "it has no domain");
        var domainMembers = domain.EnumerateObject().Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (!domainMembers.SequenceEqual(["chainId", "name", "version"], StringComparer.Ordinal))
            throw Hostile(service, $"its domain has the members {string.Join(", ", domainMembers)} instead of name, version and chainId");
        var name = StringMember(domain, "name", service);
        if (name != expectedDomainName) throw Hostile(service, $"its domain is '{name}', not '{expectedDomainName}'");
        var version = StringMember(domain, "version", service);
        if (version != "1") throw Hostile(service, $"its domain version is '{version}', not '1'");
        var chainId = domain.GetProperty("chainId");
        var chainText = chainId.ValueKind switch
        {
            JsonValueKind.Number => chainId.GetRawText(),
            JsonValueKind.String => chainId.GetString()!,
            _ => throw Hostile(service, "its chain id is neither a number nor a string"),
        };
        if (!ulong.TryParse(chainText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedChainId) || parsedChainId != expectedChainId)
            throw Hostile(service, $"it is for chain {chainText}, not chain {expectedChainId}");

        if (!typedData.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            throw Hostile(service, "it has no message");
        var messageMembers = message.EnumerateObject().Select(m => m.Name).ToArray();
        if (!messageMembers.SequenceEqual(["challenge"], StringComparer.Ordinal))
            throw Hostile(service, "its message has members other than challenge");
        var challenge = StringMember(message, "challenge", service);
        if (challenge.Length is 0 or > 512) throw Hostile(service, "its challenge string is empty or longer than 512 characters");
        return new ChallengeTypedData(name, version, expectedChainId, challenge);
    }

    private static void CheckFields(JsonElement declared, TypedDataType expected, string service)
    {
        if (declared.ValueKind != JsonValueKind.Array || declared.GetArrayLength() != expected.Fields.Count)
            throw Hostile(service, $"its {expected.Name} type does not have exactly {expected.Fields.Count} member(s)");
        var index = 0;
        foreach (var field in declared.EnumerateArray())
        {
            var want = expected.Fields[index++];
            var name = field.ValueKind == JsonValueKind.Object && field.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var type = field.ValueKind == JsonValueKind.Object && field.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (name != want.Name || type != want.Type)
                throw Hostile(service, $"its {expected.Name} type declares '{type} {name}' where '{want.Type} {want.Name}' belongs");
        }
    }

    private static string StringMember(JsonElement owner, string name, string service) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Hostile(service, $"its {name} is not a string");

    private static IExecException Hostile(string service, string why) => new(
        ErrorIds.HostileChallenge,
        IExecErrorCategory.SecurityError,
        $"Refused to sign the login challenge from {service}: {why}. Only an iExec 'Challenge' typed-data document for this chain is signed.",
        service)
    {
        RecommendedAction = "Check that the URL really is the iExec service of this chain; nothing was signed.",
    };
}
