using Xunit;

namespace IExecSecrets.Module.Tests.Run;

public sealed class RunCmdletTests
{
    private const string App = "0x1111111111111111111111111111111111111111";

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{0='x1'}}", "InvalidSecretMappingKey", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{'01'='x1'}}", "InvalidSecretMappingKey", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{a='x1'}}", "InvalidSecretMappingKey", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret '0=x1'", "InvalidSecretMappingKey", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{1=''}}", "InvalidSecretName", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret '1='", "InvalidSecretName", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone -Secret '1x1'", "InvalidSecretMapping", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,foo", "InvalidTag", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag scone", "InvalidTag", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Tag tee,scone,gramine", "InvalidTag", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Secret @{{1='x1'}}", "SecretsRequireTeeTag", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -StorageProvider dropbox", "InvalidStorageProvider", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -InputFile ftp://x", "InvalidInputFile", "InvokeIExecAppCommand" },
        { "Invoke-IExecApp 0x1234 -Tag tee,scone", "InvalidAddress", "InvokeIExecAppCommand" },
        { $"Invoke-IExecApp {App} -Workerpool 0x12 -Tag tee,scone", "InvalidAddress", "InvokeIExecAppCommand" },
        { "Get-IExecTask 0x1234", "InvalidTaskId", "GetIExecTaskCommand" },
        { "Get-IExecDeal 0xzz", "InvalidDealId", "GetIExecDealCommand" },
        { "Save-IExecTaskResult 12", "InvalidTaskId", "SaveIExecTaskResultCommand" },
        { "Wait-IExecTask -DealId 0x12", "InvalidDealId", "WaitIExecTaskCommand" },
        { "Get-IExecAppOrder 0x12", "InvalidAddress", "GetIExecAppOrderCommand" },
        { "Get-IExecWorkerpoolOrder -MinTag tee,bar", "InvalidTag", "GetIExecWorkerpoolOrderCommand" },
        { $"Publish-IExecAppOrder {App} -Tag scone", "InvalidTag", "PublishIExecAppOrderCommand" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_FailsWithItsIdBeforeAnyRequestOrSignature(string script, string errorId, string commandClass)
    {
        using var endpoint = new ScriptedHttpServer().Answer(503, "");
        using var host = new ModuleHost(location: ProjectAt(endpoint));
        host.ConnectTestWallet();

        var result = host.Run(script);

        var error = result.SingleError();
        Assert.Equal($"{errorId},IExecSecrets.Commands.{commandClass}", error.FullyQualifiedErrorId);
        Assert.Equal(0, endpoint.RequestCount);
    }

    [Fact]
    public void Invoke_WithoutWallet_FailsWalletNotConnectedBeforeAnyRequest()
    {
        using var endpoint = new ScriptedHttpServer().Answer(503, "");
        using var host = new ModuleHost(location: ProjectAt(endpoint));

        var result = host.Run($"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{1='x1'}}");

        Assert.Equal("WalletNotConnected,IExecSecrets.Commands.InvokeIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(0, endpoint.RequestCount);
    }

    [Fact]
    public void Invoke_RpcDown_FailsRpcUnreachableWithoutSigning()
    {
        using var endpoint = new ScriptedHttpServer().Answer(503, "");
        using var host = new ModuleHost(location: ProjectAt(endpoint));
        host.ConnectTestWallet();

        var result = host.Run($"Invoke-IExecApp {App} -Tag tee,scone -Secret @{{1='x1'}} -Force");

        Assert.Equal("RpcUnreachable,IExecSecrets.Commands.InvokeIExecAppCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.True(endpoint.RequestCount >= 2, "the read batch is retried");
    }

    [Fact]
    public void TaskOutput_PipesIntoSaveIExecTaskResultByTaskId()
    {
        using var endpoint = new ScriptedHttpServer().Answer(503, "");
        using var host = new ModuleHost(location: ProjectAt(endpoint));
        var task = new IExecTask
        {
            TaskId = "0x12", Index = 0, Status = IExecTaskStatus.COMPLETED, ChainStatus = IExecTaskStatus.COMPLETED, StatusName = "COMPLETED", TimedOut = false, IsFinal = true, ResultStorage = "ipfs", Results = "",
        };

        var result = host.Run("$t | Save-IExecTaskResult", new Dictionary<string, object?> { ["t"] = task });

        Assert.Equal("InvalidTaskId,IExecSecrets.Commands.SaveIExecTaskResultCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal("0x12", result.SingleError().TargetObject);
    }

    [Fact]
    public void Help_ForInvokeIExecApp_HasExamplesAndTheAcceptanceParameters()
    {
        using var host = new ModuleHost();

        var result = host.Run("(Get-Command Invoke-IExecApp).Parameters.Keys; (Get-Command Invoke-IExecApp).Parameters['WhatIf'] -ne $null").ThrowIfFailed();

        var names = result.Output.Select(o => o.BaseObject.ToString()).ToList();
        Assert.Contains("Secret", names);
        Assert.Contains("Vault", names);
        Assert.Contains("Force", names);
        Assert.Contains("Watch", names);
        Assert.Equal(true, result.Output[^1].BaseObject);
    }

    // A project folder whose chain.json sends every service of chain "counted" (id 134) to one endpoint that answers
    // 503 and counts what reaches it, so a test can prove that bad input never left the process.
    private static string ProjectAt(ScriptedHttpServer endpoint)
    {
        var folder = Directory.CreateTempSubdirectory("iexec-run-cmdlets-").FullName;
        File.WriteAllText(Path.Combine(folder, "chain.json"), """
            {"default":"counted","chains":{"counted":{"id":"134","host":"URL","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f",
             "sms":{"scone":"URL","gramine":"URL","tdx":"URL"},"iexecGateway":"URL","ipfsGateway":"URL"}}}
            """.Replace("URL", endpoint.Address, StringComparison.Ordinal));
        return folder;
    }
}
