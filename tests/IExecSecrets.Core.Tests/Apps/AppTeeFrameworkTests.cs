using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Tests.Market;

namespace IExecSecrets.Core.Tests.Apps;

public sealed class AppTeeFrameworkTests
{
    private static readonly EthAddress App = EthAddress.Parse("0x0123456789abcdef0123456789abcdef01234567");

    [Theory]
    [InlineData("{\"framework\":\"SCONE\",\"version\":\"v5\",\"entrypoint\":\"python /app/app.py\",\"heapSize\":1073741824,\"fingerprint\":\"ab\"}", TeeFramework.Scone)]
    [InlineData("{\"framework\":\"gramine\",\"version\":\"v0\",\"fingerprint\":\"ab\"}", TeeFramework.Gramine)]
    [InlineData("{\"framework\":\"TDX\",\"version\":\"v0\",\"fingerprint\":\"ab\"}", TeeFramework.Tdx)]
    public void FromMrEnclave_TakesTheFrameworkInAnyCase(string mrEnclave, TeeFramework expected)
    {
        Assert.Equal(expected, AppTeeFramework.FromMrEnclave(mrEnclave, App));
    }

    [Fact]
    public void FromMrEnclave_Empty_IsTdxAsInSdk824()
    {
        Assert.Equal(TeeFramework.Tdx, AppTeeFramework.FromMrEnclave("", App));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("not json")]
    [InlineData("{\"version\":\"v5\"}")]
    [InlineData("{\"framework\":\"sgx\"}")]
    [InlineData("[\"scone\"]")]
    public void FromMrEnclave_SetButWithoutKnownFramework_IsAppTeeFrameworkUnresolved(string mrEnclave)
    {
        var error = Assert.Throws<IExecException>(() => AppTeeFramework.FromMrEnclave(mrEnclave, App));

        Assert.Equal(ErrorIds.AppTeeFrameworkUnresolved, error.ErrorId);
        Assert.Equal(App.ToString(), error.Target);
        Assert.Equal($"Failed to resolve TEE framework from app {App}", error.Message);
    }

    [Fact]
    public async Task ResolveAsync_ExplicitFramework_WinsWithoutAnyRpcCall()
    {
        // A node that refuses connections: any call would end in RpcUnreachable instead of a result.
        using var rpc = new JsonRpcClient(new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}"), maxRetries: 0);
        var chain = new ChainResolver().Resolve("bellecour");

        var framework = await AppTeeFramework.ResolveAsync(rpc, chain, App, TeeFramework.Gramine);
        var withoutExplicit = await Assert.ThrowsAsync<IExecException>(() => AppTeeFramework.ResolveAsync(rpc, chain, App, null));

        Assert.Equal(TeeFramework.Gramine, framework);
        Assert.Equal(ErrorIds.RpcUnreachable, withoutExplicit.ErrorId);
    }
}
