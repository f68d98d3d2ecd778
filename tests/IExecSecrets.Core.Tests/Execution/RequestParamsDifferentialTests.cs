using System.Diagnostics;
using IExecSecrets.Core.Tests.Differential;
using IExecSecrets.Core.Tests.Vectors;

namespace IExecSecrets.Core.Tests.Execution;

/// <summary>
/// The params builder against the installed iexec SDK 8.24 (<c>createObjParams</c>, what <c>createRequestorder</c>
/// runs) on 300 generated params objects: key orders, unknown keys, casts, secrets, storage, TEE and callback.
/// Both must accept or both refuse, and accepted params must be byte-identical.
/// </summary>
public sealed class RequestParamsDifferentialTests
{
    private const string TeeScone = "0x0000000000000000000000000000000000000000000000000000000000000003";
    private const string NoTag = "0x0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Build_MatchesTheSdkOnGeneratedParams()
    {
        var random = new Random(20261124);
        var cases = Enumerable.Range(0, 300).Select(_ => Generate(random)).ToList();

        var answers = RunOracle(cases);

        var mismatches = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (raw, tee, callback) = cases[i];
            string? ours;
            try
            {
                ours = new RequestParamsBuilder { RawParams = raw }.Build(tee, callback).Json;
            }
            catch (IExecException)
            {
                ours = null;
            }
            var theirs = answers[i].TryGetProperty("ok", out var ok) ? ok.GetString() : null;
            if (ours != theirs) mismatches.Add($"{raw} tee={tee} callback={callback}: ours {ours ?? "error"}, sdk {theirs ?? answers[i].GetProperty("error").GetString()}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
        Assert.Contains(answers, a => a.TryGetProperty("error", out _));
        Assert.Contains(answers, a => a.TryGetProperty("ok", out _));
    }

    private static (string Raw, bool Tee, bool Callback) Generate(Random random)
    {
        string[] args = ["hello world", "21", "é \"q\" \\ \n \u0001 \u2028 😀", "", "--x=1 'y z'"];
        var entries = new List<(string, JsonNode?)>();
        void Maybe(int percent, string key, Func<JsonNode?> value)
        {
            if (random.Next(100) < percent) entries.Add((key, value()));
        }
        Maybe(50, "iexec_args", () => random.Next(5) == 0 ? JsonValue.Create(random.Next(1000)) : JsonValue.Create(args[random.Next(args.Length)]));
        Maybe(40, "iexec_secrets", () =>
        {
            var secrets = new JsonObject();
            foreach (var slot in new[] { "1", "2", "10", "3" }.Where(_ => random.Next(2) == 0)) secrets[slot] = "name-" + slot;
            if (random.Next(8) == 0) secrets["0"] = "bad";
            return secrets;
        });
        Maybe(40, "iexec_result_storage_provider", () => JsonValue.Create(new[] { "ipfs", "ipfs", "dropbox", "foo" }[random.Next(4)]));
        Maybe(30, "iexec_result_encryption", () => random.Next(3) switch { 0 => JsonValue.Create(true), 1 => JsonValue.Create(false), _ => JsonValue.Create("true") });
        Maybe(25, "iexec_input_files", () => new JsonArray(random.Next(6) == 0 ? "ftp://x" : "https://example.com/a.txt", "http://example.org/b"));
        Maybe(20, "foo", () => JsonValue.Create(1));
        var shuffled = entries.OrderBy(_ => random.Next()).ToList();
        var obj = new JsonObject();
        foreach (var (key, value) in shuffled) obj[key] = value;
        return (obj.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), random.Next(3) > 0, random.Next(6) == 0);
    }

    private static List<JsonElement> RunOracle(List<(string Raw, bool Tee, bool Callback)> cases)
    {
        var helper = Path.Combine(NodeOracle.NodeModules, "iexec", "dist", "esm", "common", "execution", "order-helper.js");
        Assert.True(File.Exists(helper), $"the iexec SDK is not installed at {helper}; run eng/setup.sh");
        var request = new JsonArray(cases.Select(c => (JsonNode)new JsonObject
        {
            ["params"] = JsonNode.Parse(c.Raw),
            ["tag"] = c.Tee ? TeeScone : NoTag,
            ["callback"] = c.Callback ? "0x1111111111111111111111111111111111111111" : "0x0000000000000000000000000000000000000000",
        }).ToArray());
        var start = new ProcessStartInfo(NodeOracle.NodeExecutable)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.Combine(RepoPaths.Root, "tools", "node"),
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "IExecSecrets.Core.Tests", "Execution", "params-oracle.mjs"));
        start.ArgumentList.Add(new Uri(helper).AbsoluteUri);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the params oracle did not answer within 60 s");
        Assert.True(process.ExitCode == 0, stderr.Result);
        return JsonDocument.Parse(stdout.Result).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
