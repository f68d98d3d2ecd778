namespace IExecSecrets.Core.Platform;

/// <summary>
/// One access rule of a Windows ACL, written without the Windows-only security types so that the rule set can be built
/// and checked on any system: an <c>Allow</c> rule for <see cref="Sid"/> with <see cref="Rights"/>, inherited by files
/// and sub-folders when <see cref="InheritedByChildren"/> (container and object inherit, no propagation limits).
/// </summary>
/// <param name="Sid">The security identifier the rule applies to, e.g. <c>S-1-5-21-…-1001</c>.</param>
/// <param name="Rights">The rights granted.</param>
/// <param name="InheritedByChildren">True for a folder's rule that what is created inside inherits.</param>
public sealed record AclAllowRule(string Sid, AclRights Rights, bool InheritedByChildren);

/// <summary>The rights an <see cref="AclAllowRule"/> grants (a subset of <c>FileSystemRights</c>).</summary>
public enum AclRights
{
    /// <summary><c>FileSystemRights.FullControl</c>: read, write, delete, change permissions, take ownership.</summary>
    FullControl,
}

/// <summary>
/// A complete access-control list to set on a file or folder: <see cref="Owner"/> as its owner,
/// <see cref="InheritanceRemoved"/> (a protected DACL: nothing inherited from the parent folder, whose rules usually let
/// Administrators, SYSTEM or other users read), and exactly <see cref="Rules"/>.
/// </summary>
/// <param name="Owner">The owner SID.</param>
/// <param name="InheritanceRemoved">True for a protected DACL (no inherited rules kept).</param>
/// <param name="Rules">Every rule of the DACL, in order.</param>
public sealed record AclPlan(string Owner, bool InheritanceRemoved, IReadOnlyList<AclAllowRule> Rules)
{
    /// <inheritdoc />
    public bool Equals(AclPlan? other) =>
        other is not null && Owner == other.Owner && InheritanceRemoved == other.InheritanceRemoved && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Owner, InheritanceRemoved, Rules.Count);
}

/// <summary>
/// The Windows counterpart of modes 0600/0700: the ACL that lets the current user, and no one else, use a keystore, a
/// saved-defaults file or a private folder. A pure function, tested on every system.
/// </summary>
public static class OwnerOnlyAcl
{
    /// <summary>
    /// The owner-only ACL for <paramref name="userSid"/>: owned by that user, inheritance from the parent removed, one
    /// rule granting that user full control (inherited by files and sub-folders when <paramref name="directory"/>).
    /// </summary>
    public static AclPlan For(string userSid, bool directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(userSid);
        return new AclPlan(userSid, InheritanceRemoved: true, [new AclAllowRule(userSid, AclRights.FullControl, InheritedByChildren: directory)]);
    }
}

/// <summary>
/// Applies an <see cref="AclPlan"/> on Windows. <see cref="HostPlatform"/> calls it for every private file or folder
/// on Windows; tests replace it with a recorder to check what is asked for.
/// </summary>
public interface IWindowsAcl
{
    /// <summary>The current user's SID (<c>WindowsIdentity.GetCurrent().User</c>).</summary>
    string CurrentUserSid { get; }

    /// <summary>Creates the folder <paramref name="path"/> (and missing parents) with <paramref name="plan"/>; an existing folder is left alone.</summary>
    void CreateDirectory(string path, AclPlan plan);

    /// <summary>Replaces the ACL of the existing file or folder <paramref name="path"/> with <paramref name="plan"/>.</summary>
    void Protect(string path, AclPlan plan);

    /// <summary>Opens <paramref name="path"/>; a file it creates gets <paramref name="plan"/> as it is created.</summary>
    FileStream CreateFile(string path, FileMode mode, FileAccess access, FileShare share, AclPlan plan);
}
