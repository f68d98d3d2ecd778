using IExecSecrets.Completers;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.PoCo;

namespace IExecSecrets.Commands;

/// <summary>Shows an account's RLC: the wallet's balance and its iExec account's free and locked stake.</summary>
/// <remarks>
/// <para>Reads the chain as iexec account show and iexec wallet show (8.24, 9.0.1) do. Stake is the free stake of the
/// iExec account (the escrow on the PoCo hub): what runs are paid from and Remove-IExecStake can withdraw. Locked is
/// the price of deals that are not finished yet; it is paid out when they complete, or returns to Stake when they are
/// claimed (Invoke-IExecClaim). Balance is the wallet's RLC outside the account, what Add-IExecStake can deposit: on a
/// native chain (bellecour-like: the escrow holds the chain's own coin) the wallet's coin in wei truncated to nRLC,
/// on a token chain (Arbitrum-like) its RLC token balance. NativeBalance is the wallet's coin in wei, which pays the
/// transaction fees. Amounts are nRLC (10^9 per RLC); the table view shows RLC.</para>
/// <para>The hub's token() decides which kind of chain it is; a chain.json whose "native" says otherwise fails
/// EscrowModeMismatch. Nothing is signed: no wallet is needed with -Address.</para>
/// </remarks>
/// <example>
/// <code>Get-IExecAccount</code>
/// <para>Shows the connected wallet's RLC balance, stake and locked stake on the default chain.</para>
/// </example>
/// <example>
/// <code>Get-IExecAccount -Address 0xFCAd...377c -Chain arbitrum-sepolia-testnet | Format-List</code>
/// <para>Shows another account, with every amount in nRLC and the chain's token.</para>
/// </example>
/// <example>
/// <code>if ((Get-IExecAccount).Stake -lt 5000000000) { Add-IExecStake -Amount '5 RLC' }</code>
/// <para>Tops up the stake before a batch of runs (amounts are nRLC).</para>
/// </example>
/// <input type="System.String">Addresses, or objects with an Address property (Get-IExecWallet).</input>
/// <output type="IExecSecrets.Output.IExecAccount">One per address.</output>
[Cmdlet(VerbsCommon.Get, "IExecAccount", HelpUri = "https://github.com/IExecSecrets/IExecSecrets/blob/main/docs/cmdlets/Get-IExecAccount.md")]
[OutputType(typeof(IExecAccount))]
public sealed class GetIExecAccountCommand : ChainCommandBase
{
    /// <summary>The account; default: the connected wallet. Binds Address of piped objects (Get-IExecWallet).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KeystoreAddressCompleter))]
    public string? Address { get; set; }

    /// <summary>Reads each account.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            var address = Address is not null ? AddressInput.Parse(Address, nameof(Address))
                : WalletSession.Current?.Address ?? throw new IExecException(ErrorIds.WalletNotConnected,
                    "No -Address was given and no wallet is connected.")
                {
                    RecommendedAction = "Pass -Address 0x…, or connect a wallet with Connect-IExecWallet.",
                };
            var chain = ChainProfile;
            var hub = chain.RequireHub();
            WriteVerbose($"Reading the account of {address} on {chain.Name} (hub {hub}) via {Core.Net.TransportPolicy.Display(chain.Host)}");
            WriteObject(IExecAccount.From(Await(EscrowAccount.ReadAsync(Rpc, chain, hub, address, CancellationToken)), chain));
        }
        catch (IExecException ex) when (ex.ErrorId is ErrorIds.InvalidAddress)
        {
            WriteIExecError(ex);
        }
        catch (IExecException ex)
        {
            ThrowIExecError(ex);
        }
    }
}
