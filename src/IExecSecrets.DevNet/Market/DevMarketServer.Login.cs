using System.Numerics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.DevNet.Market;

// The market's login protocol, as iexec-market-api implements it: GET /challenge hands each address an EIP-712
// Challenge to sign, and every write checks the authorization header against it, once.
public sealed partial class DevMarketServer
{
    // GET /challenge: a random value per address, kept (and answered again) until an authorization uses it.
    private string Challenge(IQueryCollection query)
    {
        var chainText = query.TryGetValue("chainId", out var chainValues) && chainValues.Count > 0 ? chainValues[0] : null;
        if (chainText is null) throw new MarketRequestException("chainId is a required field");
        if (chainText != ChainText) throw new MarketRequestException($"chainId {chainText} is not supported");
        var addressText = query.TryGetValue("address", out var addressValues) && addressValues.Count > 0 ? addressValues[0] : null;
        if (addressText is null) throw new MarketRequestException("address is a required field");
        if (!EthAddress.TryParse(addressText, out var address)) throw new MarketRequestException("address is not a valid ethereum address");
        string value;
        lock (_lock)
        {
            if (_challenges.TryGetValue(address, out var current))
            {
                value = current.Value;
            }
            else
            {
                value = RandomValue();
                _challenges[address] = (value, Hex.Encode(MarketChallengeHash(ChallengeText(value))));
            }
        }
        return Write(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WritePropertyName("data");
            writer.WriteStartObject();
            writer.WriteStartObject("types");
            writer.WriteStartArray("EIP712Domain");
            foreach (var (name, type) in new[] { ("name", "string"), ("version", "string"), ("chainId", "uint256") }) WriteField(writer, name, type);
            writer.WriteEndArray();
            writer.WriteStartArray("Challenge");
            WriteField(writer, "challenge", "string");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartObject("domain");
            writer.WriteString("name", "iExec Gateway");
            writer.WriteString("version", "1");
            // The market validates chainId as a string and puts that string in the domain.
            writer.WriteString("chainId", ChainText);
            writer.WriteEndObject();
            writer.WriteString("primaryType", "Challenge");
            writer.WriteStartObject("message");
            writer.WriteString("challenge", ChallengeText(value));
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    // The market's checkAuthorization: hash_signature_address, the hash stored for that address, the signer recovered
    // from the stored challenge equal to the address; the challenge is deleted once used. Every failure is the same
    // 403 "invalid authorization", and nothing is written.
    private EthAddress Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null;
        var parts = header?.Split('_');
        if (parts is not { Length: 3 } || !EthAddress.TryParse(parts[2], out var address) || address.IsZero || !Hex.IsHex(parts[1], 65))
            throw RefusedAuthorization();
        lock (_lock)
        {
            if (!_challenges.TryGetValue(address, out var current) || current.Hash != parts[0]) throw RefusedAuthorization();
            EthAddress signer;
            try
            {
                signer = Secp256k1.RecoverAddress(MarketChallengeHash(ChallengeText(current.Value)), Signature.FromBytes(Hex.Decode(parts[1])));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Core.Errors.IExecException)
            {
                throw RefusedAuthorization();
            }
            if (signer != address) throw RefusedAuthorization();
            _challenges.Remove(address);
        }
        return address;
    }

    private MarketRequestException RefusedAuthorization()
    {
        Interlocked.Increment(ref _refusedAuthorizations);
        return new MarketRequestException("invalid authorization", StatusCodes.Status403Forbidden);
    }

    private static string ChallengeText(string value) => "Sign this message to log into iExec Gateway: " + value;

    // EIP-712 hash of {EIP712Domain(string name,string version,uint256 chainId), Challenge(string challenge)}, computed
    // here from its parts rather than with the client's code, so the two sides check each other.
    private byte[] MarketChallengeHash(string challenge)
    {
        var domainType = new TypedDataType("EIP712Domain", [new("name", "string"), new("version", "string"), new("chainId", "uint256")]);
        var challengeType = new TypedDataType("Challenge", [new("challenge", "string")]);
        var separator = TypedDataHasher.HashStruct(domainType, ["iExec Gateway", "1", new BigInteger(_options.ChainId)]);
        return TypedDataHasher.Digest(separator, TypedDataHasher.HashStruct(challengeType, [challenge]));
    }

    private static string RandomValue()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private static void WriteField(Utf8JsonWriter writer, string name, string type)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("type", type);
        writer.WriteEndObject();
    }
}
