using IExecSecrets.TestSupport.Doubles;

namespace IExecSecrets.Interop.Tests.DayTwo;

/// <summary>
/// Get-IExecAccount, Add-IExecStake and Remove-IExecStake on a native (bellecour-like) devnet, against the iexec CLI
/// 8.24 as the oracle (<c>account show</c>, <c>wallet show</c>) and as the other client (<c>account deposit</c>,
/// <c>withdraw</c>): each sees what the other did. Amounts refused before anything is signed leave the nonce as it was.
/// </summary>
[Collection(DayTwoCollection.Name)]
public sealed class AccountTests(DayTwoDevNetFixture fixture, ITestOutputHelper output)
{
    private DevNetEnvironment Net => fixture.Environment;

    [Fact]
    public async Task GetIExecAccount_ShowsWhatIExecAccountShowAndWalletShowShow()
    {
        var account = Net.Accounts[9];
        using var session = new ModuleHost(location: DayTwo.Project(Net));

        var shown = session.Run("Get-IExecAccount -Address $a", new() { ["a"] = account.Address.ToString().ToLowerInvariant() });
        var cli = await DayTwo.CliAccountAsync(Net, account.Address);
        var cliWallet = await DayTwo.CliWalletRlcAsync(Net, account.Address);

        Assert.True(shown.AllErrors.Count == 0, string.Join(" | ", shown.AllErrors));
        var read = Assert.IsType<IExecAccount>(Assert.Single(shown.Output).BaseObject);
        Assert.Equal((account.Address.ToString(), "Native", (string?)null), (read.Address, read.Escrow, read.Token));
        Assert.Equal(cli, (read.Stake, read.Locked));
        Assert.Equal(cliWallet, read.Balance);
        Assert.Equal(await Net.Rpc.GetBalanceAsync(account.Address), read.NativeBalance);
    }

    [Fact]
    public async Task AddAndRemoveIExecStake_MoveTheStakeTheCliShows_AndTheCliDepositAndWithdrawShowInGetIExecAccount()
    {
        var account = Net.Accounts[9];
        var project = await DayTwo.CliProjectAsync(Net, account.PrivateKeyHex);
        using var session = new ModuleHost(location: project);
        var start = await DayTwo.CliAccountAsync(Net, account.Address);
        var coinBefore = await Net.Rpc.GetBalanceAsync(account.Address);

        var added = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Add-IExecStake '2.5 RLC' -Confirm:$false", new() { ["k"] = DeployProofTests.Secure(account) });
        var afterAdd = await DayTwo.CliAccountAsync(Net, account.Address);
        var coinAfter = await Net.Rpc.GetBalanceAsync(account.Address);
        var removed = session.Run("Remove-IExecStake 1000000000 -Confirm:$false", new());
        var afterRemove = await DayTwo.CliAccountAsync(Net, account.Address);
        await DayTwo.Cli(false, project, "account", "deposit", "3", "RLC", "--chain", "devnet");
        var seenAfterCliDeposit = session.Run("Get-IExecAccount", new());
        await DayTwo.Cli(false, project, "account", "withdraw", "500000000", "--chain", "devnet");
        var seenAfterCliWithdraw = session.Run("Get-IExecAccount", new());

        Assert.True(added.AllErrors.Count + removed.AllErrors.Count == 0, string.Join(" | ", added.AllErrors.Concat(removed.AllErrors)));
        var deposit = Assert.IsType<IExecStakeChange>(Assert.Single(added.Output).BaseObject);
        Assert.Equal(("Deposit", new BigInteger(2_500_000_000)), (deposit.Action, deposit.Amount));
        Assert.Equal(start.Stake + 2_500_000_000, afterAdd.Stake);
        Assert.Equal(afterAdd.Stake, deposit.Stake);
        Assert.Equal(coinBefore - BigInteger.Parse("2500000000000000000"), coinAfter); // gas price 0: exactly the amount, in wei
        var withdraw = Assert.IsType<IExecStakeChange>(Assert.Single(removed.Output).BaseObject);
        Assert.Equal(("Withdraw", new BigInteger(1_000_000_000)), (withdraw.Action, withdraw.Amount));
        Assert.Equal(afterAdd.Stake - 1_000_000_000, afterRemove.Stake);
        Assert.Equal(afterRemove.Stake + 3_000_000_000, ((IExecAccount)seenAfterCliDeposit.Output.Single().BaseObject).Stake);
        Assert.Equal(afterRemove.Stake + 2_500_000_000, ((IExecAccount)seenAfterCliWithdraw.Output.Single().BaseObject).Stake);
        foreach (var hash in new[] { deposit.TxHash, withdraw.TxHash })
        {
            output.WriteLine($"{hash}: {(await Net.Rpc.GetReceiptAsync(hash))?.GasUsed} gas");
        }
    }

    [Fact]
    public async Task AmountsBeyondTheWalletOrTheStake_AndMalformedAmounts_AreRefusedBeforeAnythingIsSigned()
    {
        var keyHex = Hex.Encode(RandomNumberGenerator.GetBytes(32));
        using var key = WalletKey.FromHex(keyHex);
        var account = Net.Accounts[9];
        using var session = new ModuleHost(location: DayTwo.Project(Net));
        var nonce = await DayTwo.MinedNonceAsync(Net, account.Address);

        var empty = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Add-IExecStake 1 -Confirm:$false", new() { ["k"] = HostedModule.Secure(keyHex) });
        var tooMuch = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Remove-IExecStake '1000000 RLC' -Confirm:$false", new() { ["k"] = DeployProofTests.Secure(account) });
        var zero = session.Run("Add-IExecStake '0 RLC' -Confirm:$false", new());
        var fraction = session.Run("Add-IExecStake '0.0000000001 RLC' -Confirm:$false", new());
        var foreign = session.Run("Add-IExecStake '1 ETH' -Confirm:$false", new());

        Assert.Equal("InsufficientWalletBalance,IExecSecrets.Commands.AddIExecStakeCommand", Assert.Single(empty.AllErrors).FullyQualifiedErrorId);
        Assert.Contains("Deposit amount exceed wallet balance", empty.AllErrors[0].Exception.Message);
        Assert.Equal("InsufficientAccountStake,IExecSecrets.Commands.RemoveIExecStakeCommand", Assert.Single(tooMuch.AllErrors).FullyQualifiedErrorId);
        Assert.Contains("Withdraw amount exceed account balance", tooMuch.AllErrors[0].Exception.Message);
        Assert.Equal("InvalidAmount,IExecSecrets.Commands.AddIExecStakeCommand", Assert.Single(zero.AllErrors).FullyQualifiedErrorId);
        Assert.Equal("InvalidAmount,IExecSecrets.Commands.AddIExecStakeCommand", Assert.Single(fraction.AllErrors).FullyQualifiedErrorId);
        Assert.Equal("InvalidAmount,IExecSecrets.Commands.AddIExecStakeCommand", Assert.Single(foreign.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(BigInteger.Zero, await DayTwo.MinedNonceAsync(Net, key.Address));
        Assert.Equal(nonce, await DayTwo.MinedNonceAsync(Net, account.Address));
    }

    [Fact]
    public async Task MalformedAmount_FailsBeforeAnyNetworkCall()
    {
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var project = DayTwo.Project(Net);
        var chainJson = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        using var session = new ModuleHost(location: project);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Remove-IExecStake '1,5 RLC' -Confirm:$false", new() { ["k"] = DeployProofTests.Secure(Net.Accounts[9]) });

        Assert.Equal("InvalidAmount,IExecSecrets.Commands.RemoveIExecStakeCommand", Assert.Single(run.AllErrors).FullyQualifiedErrorId);
        Assert.Empty(proxy.Calls);
    }

    [Fact]
    public async Task DepositWhoseReceiptLacksTheHubsTransfer_IsStakeChangeUnconfirmed()
    {
        var account = Net.Accounts[9];
        await using var proxy = await HostileRpcProxy.StartAsync(Net.RpcUrl);
        var project = DayTwo.Project(Net);
        var chainJson = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chainJson["chains"]!["devnet"]!["host"] = proxy.Url.ToString().TrimEnd('/');
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        // The node mines the deposit but answers its receipt without the hub's Transfer (the mint of the escrow tokens).
        proxy.Rewrite = (call, answer) =>
        {
            if (call.Method != "eth_getTransactionReceipt" || HostileRpcProxy.ResultOf(answer) is not JsonObject receipt) return null;
            receipt["logs"] = new JsonArray();
            return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call.Id?.DeepClone(), ["result"] = receipt.DeepClone() }.ToJsonString();
        };
        using var session = new ModuleHost(location: project);

        var run = session.Run("Connect-IExecWallet -PrivateKey $k | Out-Null; Add-IExecStake 7 -Confirm:$false", new() { ["k"] = DeployProofTests.Secure(account) });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.AllErrors);
        Assert.Equal("StakeChangeUnconfirmed,IExecSecrets.Commands.AddIExecStakeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("no Transfer of 0.000000007 RLC (7 nRLC) minted to", error.Exception.Message);
    }

    [Fact]
    public void ChainJsonThatSaysTokenForANativeHub_IsEscrowModeMismatch()
    {
        var project = DayTwo.Project(Net);
        var chainJson = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chainJson["chains"]!["devnet"]!["native"] = false;
        File.WriteAllText(Path.Combine(project, "chain.json"), chainJson.ToJsonString());
        using var session = new ModuleHost(location: project);

        var run = session.Run("Get-IExecAccount -Address $a", new() { ["a"] = Net.Accounts[9].Address.ToString() });

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("EscrowModeMismatch,IExecSecrets.Commands.GetIExecAccountCommand", error.FullyQualifiedErrorId);
        Assert.Contains("has no RLC token (token() is 0x0)", error.Exception.Message);
    }
}
