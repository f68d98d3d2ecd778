using System.Text.RegularExpressions;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Tee;

/// <summary>
/// A Docker image reference (<c>[registry[:port]/]path[:tag][@sha256:digest]</c>), validated with the grammar of
/// Docker's reference package so a bad tag fails before the engine is contacted.
/// </summary>
public static partial class ImageReference
{
    [GeneratedRegex(
        @"^(?:(?<domain>(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?" +
        @"(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    /// <summary>True when <paramref name="reference"/> is a well-formed image reference (at most 255 characters).</summary>
    public static bool IsValid(string? reference) =>
        !string.IsNullOrEmpty(reference) && reference.Length <= 255 && Grammar().IsMatch(reference);

    /// <summary>Throws <see cref="ErrorIds.InvalidImageReference"/> unless <paramref name="reference"/> is valid.</summary>
    public static string Validate(string? reference, string parameterName)
    {
        if (IsValid(reference)) return reference!;
        throw new IExecException(
            ErrorIds.InvalidImageReference,
            $"{parameterName} \"{reference}\" is not a valid Docker image reference (expected [registry/]name[:tag], lower-case name).",
            reference);
    }

    /// <summary>
    /// The registry host of <paramref name="reference"/> as Docker decides it: the first path segment when it holds
    /// a dot or a port or is <c>localhost</c>, else Docker Hub (<c>docker.io</c>).
    /// </summary>
    public static string Registry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return "docker.io";
        var first = reference[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : "docker.io";
    }

    /// <summary>Splits <paramref name="reference"/> into repository and tag (<c>latest</c> when it has none); digests are kept in the repository.</summary>
    public static (string Repository, string Tag) SplitTag(string reference)
    {
        var match = Grammar().Match(reference);
        if (!match.Success || match.Groups["digest"].Success) return (reference, "latest");
        var tag = match.Groups["tag"];
        return tag.Success ? (reference[..(tag.Index - 1)], tag.Value) : (reference, "latest");
    }

    /// <summary>
    /// Among <paramref name="repoDigests"/> (Docker's <c>RepoDigests</c> of a local image, <c>repository@sha256:…</c>),
    /// the digest (<c>sha256:…</c>) recorded for the repository of <paramref name="reference"/>, comparing names as
    /// Docker normalises them (<c>docker.io/</c> and <c>library/</c> implied); null when there is none.
    /// </summary>
    public static string? RepositoryDigest(IEnumerable<string> repoDigests, string reference)
    {
        ArgumentNullException.ThrowIfNull(repoDigests);
        var repository = Normalise(SplitTag(reference).Repository);
        foreach (var entry in repoDigests)
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0) continue;
            var digest = entry[(at + 1)..];
            if (Normalise(entry[..at]) == repository && digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length == 71) return digest;
        }
        return null;
    }

    // docker.io/library/node, docker.io/node and node name one repository.
    private static string Normalise(string repository)
    {
        var name = repository.StartsWith("docker.io/", StringComparison.Ordinal) ? repository["docker.io/".Length..] : repository;
        return Registry(name) == "docker.io" && !name.Contains('/', StringComparison.Ordinal) ? "library/" + name : name;
    }

    /// <summary>
    /// The reference of the plain (not yet sconified) image built for <paramref name="sconifiedReference"/>: the same
    /// repository with <c>-non-tee</c> appended to the tag, e.g. <c>me/app:1.0.0</c> gives <c>me/app:1.0.0-non-tee</c>.
    /// </summary>
    public static string NonTeeOf(string sconifiedReference)
    {
        var (repository, tag) = SplitTag(sconifiedReference);
        var suffixed = tag.Length + "-non-tee".Length <= 128 ? tag + "-non-tee" : tag[..(128 - "-non-tee".Length)] + "-non-tee";
        return $"{repository}:{suffixed}";
    }
}
