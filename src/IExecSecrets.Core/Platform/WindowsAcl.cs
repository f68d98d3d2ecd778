using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace IExecSecrets.Core.Platform;

/// <summary>
/// The real <see cref="IWindowsAcl"/>: turns an <see cref="AclPlan"/> into a <c>FileSecurity</c>/<c>DirectorySecurity</c>
/// and creates files and folders with it in the same system call (<c>FileSystemAclExtensions.Create</c>), so there is
/// no moment where the parent's inherited rules apply. Not run on the Linux test machine: the plan it applies is
/// tested through <see cref="OwnerOnlyAcl"/> and a recording applier.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsAcl : IWindowsAcl
{
    private readonly Lazy<string> _sid = new(() =>
    {
        using var identity = WindowsIdentity.GetCurrent();
        return identity.User?.Value ?? throw new InvalidOperationException("The current Windows identity has no user SID.");
    });

    public string CurrentUserSid => _sid.Value;

    public void CreateDirectory(string path, AclPlan plan)
    {
        var info = new DirectoryInfo(path);
        if (info.Exists) return;
        if (info.Parent is { Exists: false } parent) parent.Create();
        info.Create(ToDirectorySecurity(plan));
    }

    public void Protect(string path, AclPlan plan)
    {
        if (Directory.Exists(path)) new DirectoryInfo(path).SetAccessControl(ToDirectorySecurity(plan));
        else new FileInfo(path).SetAccessControl(ToFileSecurity(plan));
    }

    public FileStream CreateFile(string path, FileMode mode, FileAccess access, FileShare share, AclPlan plan)
    {
        var rights = (access.HasFlag(FileAccess.Read) ? FileSystemRights.Read : 0)
            | (access.HasFlag(FileAccess.Write) ? FileSystemRights.Write : 0)
            | FileSystemRights.Synchronize;
        return new FileInfo(path).Create(mode, rights, share, bufferSize: 4096, FileOptions.None, ToFileSecurity(plan));
    }

    private static DirectorySecurity ToDirectorySecurity(AclPlan plan)
    {
        var security = new DirectorySecurity();
        Fill(security, plan);
        return security;
    }

    private static FileSecurity ToFileSecurity(AclPlan plan)
    {
        var security = new FileSecurity();
        Fill(security, plan);
        return security;
    }

    private static void Fill(FileSystemSecurity security, AclPlan plan)
    {
        security.SetOwner(new SecurityIdentifier(plan.Owner));
        // isProtected: true drops what the parent would pass down; preserveInheritance: false keeps none of it.
        security.SetAccessRuleProtection(isProtected: plan.InheritanceRemoved, preserveInheritance: false);
        foreach (var rule in plan.Rules)
        {
            var rights = rule.Rights switch
            {
                AclRights.FullControl => FileSystemRights.FullControl,
                _ => throw new ArgumentOutOfRangeException(nameof(plan), rule.Rights, "Unknown ACL right"),
            };
            var inheritance = rule.InheritedByChildren ? InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit : InheritanceFlags.None;
            security.AddAccessRule(new FileSystemAccessRule(new SecurityIdentifier(rule.Sid), rights, inheritance, PropagationFlags.None, AccessControlType.Allow));
        }
    }
}
