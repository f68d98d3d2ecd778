using IExecSecrets.Core.Config;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// An app as the chain stores it, decoded like <c>iexec app show</c>: the multiaddr in human form, the checksum as
/// hex and the mrenclave as text, with the TEE framework it declares.
/// </summary>
/// <param name="Address">The app contract address.</param>
/// <param name="ChainId">The chain it was read from.</param>
/// <param name="Owner">The app owner.</param>
/// <param name="Name">The app name.</param>
/// <param name="Type">The app type (<c>DOCKER</c>).</param>
/// <param name="Multiaddr">The image reference, or <c>/p2p/…</c> for an IPFS multiaddr.</param>
/// <param name="Checksum">The 32-byte checksum as <c>0x</c> + 64 lower-case hex digits.</param>
/// <param name="MrEnclave">The mrenclave text (UTF-8 of the stored bytes), empty for a non-TEE app.</param>
/// <param name="Framework">The framework named by the mrenclave JSON, or null when there is none.</param>
public sealed record AppInfo(
    EthAddress Address,
    ulong ChainId,
    EthAddress Owner,
    string Name,
    string Type,
    string Multiaddr,
    string Checksum,
    string MrEnclave,
    TeeFramework? Framework);
