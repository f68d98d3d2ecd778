namespace IExecSecrets.Core.Sms;

/// <summary>
/// The 32-byte challenges the SMS makes a secret's owner sign: keccak256 over the SMS domain hash, the 20 raw address
/// bytes and the keccak256 of the name and value (iexec-sms <c>AuthorizationService</c>, iexec-sdk <c>sms.js</c>).
/// The challenge is signed with EIP-191 <c>personal_sign</c> over its 32 raw bytes.
/// </summary>
public static class SmsChallenge
{
    /// <summary>The secret index the SMS gives the single app developer secret.</summary>
    public const string AppDeveloperSecretIndex = "1";

    private static readonly byte[] Domain = Keccak256.HashUtf8("IEXEC_SMS_DOMAIN");

    /// <summary>Challenge for requester secret <paramref name="name"/> (case-sensitive) owned by <paramref name="requester"/>.</summary>
    public static byte[] ForRequesterSecret(EthAddress requester, string name, ReadOnlySpan<byte> valueUtf8)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Keccak256.Hash(Domain, requester.ToBytes(), Keccak256.HashUtf8(name), Keccak256.Hash(valueUtf8));
    }

    /// <summary>Challenge for the app developer secret of <paramref name="app"/> (index "1").</summary>
    public static byte[] ForAppSecret(EthAddress app, ReadOnlySpan<byte> valueUtf8) =>
        Keccak256.Hash(Domain, app.ToBytes(), Keccak256.HashUtf8(AppDeveloperSecretIndex), Keccak256.Hash(valueUtf8));

    /// <summary>Challenge for web2 secret <paramref name="name"/> of <paramref name="owner"/>, the name hashed as sent (not lower-cased).</summary>
    public static byte[] ForWeb2Secret(EthAddress owner, string name, ReadOnlySpan<byte> valueUtf8) =>
        ForRequesterSecret(owner, name, valueUtf8);

    /// <summary>Challenge for the web3 secret (dataset key) of the contract at <paramref name="address"/>; no name is hashed.</summary>
    public static byte[] ForWeb3Secret(EthAddress address, ReadOnlySpan<byte> valueUtf8) =>
        Keccak256.Hash(Domain, address.ToBytes(), Keccak256.Hash(valueUtf8));

    /// <summary>
    /// The <c>Authorization</c> header value: <c>0x</c> + r ‖ s ‖ v (65 bytes, v 27/28) of <paramref name="signer"/>'s
    /// personal-sign over the 32 challenge bytes.
    /// </summary>
    public static string Authorization(IEthSigner signer, ReadOnlySpan<byte> challenge)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (challenge.Length != 32) throw new ArgumentException("An SMS challenge is 32 bytes.", nameof(challenge));
        return signer.SignPersonalMessage(challenge).ToHex();
    }
}
