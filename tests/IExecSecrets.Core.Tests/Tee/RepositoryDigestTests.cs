namespace IExecSecrets.Core.Tests.Tee;

/// <summary>
/// The registry digest a TDX build without -Push may record: only the one Docker's RepoDigests holds for the image's
/// own repository, names compared as Docker normalises them (docker.io/ and library/ implied).
/// </summary>
public sealed class RepositoryDigestTests
{
    private const string Digest = "sha256:42f86231807d2e71b7086d0be4aaf0e1242c43e59284eb800ddf95ec3832a376";
    private const string Other = "sha256:1d2a5062f549cea111f0a6ded6f9225927f8ad75741c05ca58d31f1ba2b4a3c7";

    [Theory]
    [InlineData("node:20", "node@" + Digest)]
    [InlineData("docker.io/library/node:20", "node@" + Digest)]
    [InlineData("node:20", "docker.io/library/node@" + Digest)]
    [InlineData("me/app:1", "docker.io/me/app@" + Digest)]
    [InlineData("127.0.0.1:5765/me/app:1", "127.0.0.1:5765/me/app@" + Digest)]
    [InlineData("registry.example.com/me/app", "registry.example.com/me/app@" + Digest)]
    public void FindsTheDigestOfTheImagesOwnRepository(string reference, string repoDigest) =>
        Assert.Equal(Digest, ImageReference.RepositoryDigest(["other/app@" + Other, repoDigest], reference));

    [Theory]
    [InlineData("me/app:1", "you/app@" + Digest)]
    [InlineData("127.0.0.1:5765/me/app:1", "me/app@" + Digest)]
    [InlineData("me/app:1", "127.0.0.1:5765/me/app@" + Digest)]
    [InlineData("me/app:1", "me/app@sha256:short")]
    [InlineData("me/app:1", "me/app")]
    public void AnotherRepositoryOrAMalformedEntryGivesNone(string reference, string repoDigest) =>
        Assert.Null(ImageReference.RepositoryDigest([repoDigest], reference));
}
