namespace IExecSecrets.Tests.Shared;

/// <summary>
/// .dockerignore cases (content, path in the context, excluded?) shared by the Core table test and the Enclave test
/// that checks every row against the real docker CLI (linked into both projects).
/// </summary>
public static class DockerIgnoreCases
{
    public static TheoryData<string, string, bool> All => new()
    {
        // .dockerignore content, path in the context, excluded?
        { "*.pem", "key.pem", true },
        { "*.pem", "keys/key.pem", false },                       // '*' stays in one segment
        { "**/*.pem", "key.pem", true },                          // '**/' also matches no folder
        { "**/*.pem", "a/b/key.pem", true },
        { "**/*.pem", "a/key.pem.txt", false },
        { ".env*", ".env", true },
        { ".env*", ".env.local", true },
        { ".env*", "app/.env", false },
        { "**/.env*", "app/config/.env.prod", true },
        { "secrets", "secrets/deep/key", true },                  // a folder excludes its content
        { "secrets/", "secrets/key", true },                      // trailing '/' is cleaned away
        { "/node_modules", "node_modules/x/index.js", true },    // leading '/' is dropped
        { "./build//out/../bin", "build/bin/tool", true },        // the pattern is path-cleaned
        { "a/*/c", "a/b/c", true },
        { "a/*/c", "a/b/d/c", false },
        { "a/**/c", "a/c", true },
        { "a/**/c", "a/b/d/c", true },
        { "foo**", "foobar/x", true },                            // trailing '**' is a plain prefix
        { "**", "any/thing", true },
        { "**/foo", "foo", true },
        { "**/foo", "x/y/foo", true },
        { "**/foo", "xfoo", false },
        { "?.txt", "a.txt", true },
        { "?.txt", "ab.txt", false },
        { "?", "/", false },
        { "[ab].txt", "a.txt", true },
        { "[ab].txt", "c.txt", false },
        { "[a-c]?.log", "bz.log", true },
        { "[^a].txt", "b.txt", true },
        { "[^a].txt", "a.txt", false },
        { "[!a].txt", "!.txt", true },                            // Docker's regexp: '!' is not a negation
        { "[!a].txt", "b.txt", false },
        { @"a\*b", "a*b", true },                                  // escaped '*' is literal
        { @"a\*b", "axb", false },
        { "a.b", "aXb", false },                                  // '.' is literal
        { "a+(b)", "a+(b)", true },
        { "a^b", "a^b", true },
        { "# comment", "# comment", false },                      // a comment line
        { " #x", "#x", true },                                    // '#' after a space is a pattern
        { "*.pem\n!public.pem", "public.pem", false },            // an exception re-includes
        { "*.pem\n!public.pem", "private.pem", true },
        { "!public.pem\n*.pem", "public.pem", true },              // the last match wins
        { "docs\n!docs/keep.md", "docs/keep.md", false },
        { "docs\n!docs/keep.md", "docs/other.md", true },
        { "docs\n!docs/keep.md\ndocs/keep.md", "docs/keep.md", true },
        { "*\n!src\nsrc/*.tmp", "src/a.tmp", true },
        { "*\n!src\nsrc/*.tmp", "src/a.js", false },
        { "\uFEFF*.log", "x.log", true },                         // a BOM is not part of the first pattern
        { "  *.log  \r\n", "x.log", true },                       // spaces and CR trimmed
        { "!  keep.txt\n*", "keep.txt", true },
    };
}
