using IExecSecrets.Core.Platform;

namespace IExecSecrets.Core.Tests.Platform;

/// <summary>
/// Stands in for the Windows ACL applier on the Linux test machine: records every plan asked for, and creates the
/// files and folders plainly so that the code under test carries on.
/// </summary>
internal sealed class RecordingWindowsAcl : IWindowsAcl
{
    public const string UserSid = "S-1-5-21-1004336348-1177238915-682003330-1001";

    public List<(string Operation, string Path, AclPlan Plan)> Calls { get; } = [];

    public string CurrentUserSid => UserSid;

    public void CreateDirectory(string path, AclPlan plan)
    {
        Calls.Add(("CreateDirectory", path, plan));
        Directory.CreateDirectory(path);
    }

    public void Protect(string path, AclPlan plan) => Calls.Add(("Protect", path, plan));

    public FileStream CreateFile(string path, FileMode mode, FileAccess access, FileShare share, AclPlan plan)
    {
        Calls.Add(("CreateFile", path, plan));
        return new FileStream(path, mode, access, share);
    }

    /// <summary>A Windows platform whose home is <paramref name="home"/> and whose ACLs go to <paramref name="acl"/>.</summary>
    public static HostPlatform Windows(string home, RecordingWindowsAcl acl, IReadOnlyDictionary<string, string>? environment = null) =>
        new(HostOs.Windows, home, environment, acl);

    /// <summary>The owner-only plan for a folder, written out by hand from the requirement, not from OwnerOnlyAcl.</summary>
    public static AclPlan ExpectedFolderPlan =>
        new(UserSid, InheritanceRemoved: true, [new AclAllowRule(UserSid, AclRights.FullControl, InheritedByChildren: true)]);

    /// <summary>The owner-only plan for a file (nothing to inherit).</summary>
    public static AclPlan ExpectedFilePlan =>
        new(UserSid, InheritanceRemoved: true, [new AclAllowRule(UserSid, AclRights.FullControl, InheritedByChildren: false)]);
}
