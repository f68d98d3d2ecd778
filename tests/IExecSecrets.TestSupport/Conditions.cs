using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Xunit;

namespace IExecSecrets.TestSupport;

// Tests that only mean something on some machines are skipped there, and a skip is counted as a skip (eng/test.sh
// reports the count), never as a pass: no `if (OS) return;` inside a test body.

/// <summary>A fact that runs on Linux and macOS (Unix file modes, signals); skipped, and counted as skipped, elsewhere.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> off Unix.</summary>
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix only: Windows has no Unix file modes (the profile's ACL applies).";
    }
}

/// <summary>A fact that runs on Linux only; skipped, and counted as skipped, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> off Linux.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only.";
    }
}

/// <summary>
/// A theory that needs an IPv4 address of this machine other than loopback (<see cref="LocalAddresses.NonLoopback"/>):
/// a "remote" host that is still this machine, so a test can count connections to it. Skipped, and counted as skipped,
/// on a machine without one.
/// </summary>
public sealed class NonLoopbackTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the machine has no such address.</summary>
    public NonLoopbackTheoryAttribute()
    {
        if (LocalAddresses.NonLoopback is null) Skip = "This machine has no IPv4 address besides loopback.";
    }
}

/// <summary>Addresses of this machine.</summary>
public static class LocalAddresses
{
    private static readonly Lazy<IPAddress?> Found = new(Find);

    /// <summary>
    /// An IPv4 address of an interface of this machine that is up and not loopback (say 192.0.2.2 on eth0), or null. To
    /// the module's transport rule it is a remote host; packets sent to it never leave this machine.
    /// </summary>
    public static IPAddress? NonLoopback => Found.Value;

    private static IPAddress? Find()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address)) return unicast.Address;
            }
        }
        return null;
    }
}
