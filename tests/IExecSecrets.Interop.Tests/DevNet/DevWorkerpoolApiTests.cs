using IExecSecrets.Interop.Tests.Worker;

namespace IExecSecrets.Interop.Tests.DevNet;

/// <summary>
/// The devnet's workerpool API (a stand-in for iexec-core's task-log endpoint), not the module: it refuses a forged
/// and a replayed login, as iexec-core does, so the module's task-log tests run against an API that checks.
/// </summary>
[Collection(DevNetCollection.Name)]
public sealed class DevWorkerpoolApiTests(DevNetFixture fixture)
{
    [Fact]
    public async Task DevWorkerpoolApi_RefusesAReusedOrForeignAuthorization()
    {
        var net = fixture.Environment;
        var harness = new RunHarness(net);
        var app = await harness.DeployAppAsync("file://" + Path.Combine(RepoPaths.JsApp, "app.js"), "1;0;0;0");
        var (taskId, _, _) = await harness.RunAsync(app, RunHarness.Params(await harness.PushRequesterSecretAsync("3")));
        using var http = new HttpClient();
        var api = net.WorkerpoolApi.Url.ToString().TrimEnd('/');
        var challenge = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{api}/tasks/logs/challenge?chainId=134&address={harness.Requester.Address}"));
        var typed = Core.Crypto.ChallengeTypedData.Parse(challenge.RootElement, "iExec Core", 134, "devnet");
        var stranger = net.Accounts[8];
        // A stranger's signature over the requester's challenge, claimed for the requester: refused.
        var forged = Hex.Encode(typed.Digest()) + "_" + stranger.SignDigest(typed.Digest()).ToHex() + "_" + harness.Requester.Address;
        var authorization = typed.Authorize(harness.Requester);

        var forgedStatus = await GetStatusAsync(http, $"{api}/tasks/{Hex.Encode(taskId)}/logs", forged);
        var firstStatus = await GetStatusAsync(http, $"{api}/tasks/{Hex.Encode(taskId)}/logs", authorization);
        var replayStatus = await GetStatusAsync(http, $"{api}/tasks/{Hex.Encode(taskId)}/logs", authorization);

        Assert.Equal(401, forgedStatus);
        Assert.Equal(200, firstStatus);
        Assert.Equal(401, replayStatus);
    }

    private static async Task<int> GetStatusAsync(HttpClient http, string url, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
