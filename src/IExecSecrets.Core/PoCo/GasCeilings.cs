using System.Numerics;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// The most gas each PoCo call the module sends can need, so a node's <c>eth_estimateGas</c> answer cannot make a
/// transaction's gas limit (and so its worst-case cost) arbitrarily large. Each ceiling is a base plus an allowance
/// per byte of what the call stores, about 1.5 times what the real PoCo v6 contracts on anvil use (measured: createApp
/// 716,135 gas for 548 bytes of calldata and 9,341,275 for 12,548, about 720 gas per stored byte; matchOrders 657,570
/// with 10 characters of params and 2,053,441 with 2,000; manageRequestOrder 75,319 and 117,660; manageAppOrder
/// 70,279). On an L2 that folds its L1 data fee into gas (Arbitrum) the sender multiplies them by
/// <see cref="Chain.TransactionSenderOptions.GasCeilingFactor"/>.
/// </summary>
public static class GasCeilings
{
    /// <summary>A plain transfer between accounts (the replacement self-transfer).</summary>
    public static readonly BigInteger Transfer = 21_000;

    /// <summary><c>createApp</c> with <paramref name="calldataBytes"/> bytes of calldata (the strings it stores).</summary>
    public static BigInteger CreateApp(int calldataBytes) => 500_000 + (BigInteger)1_000 * calldataBytes;

    /// <summary>
    /// <c>createDataset</c> with <paramref name="calldataBytes"/> bytes of calldata: the same proxy creation and
    /// per-byte storage as createApp, with fewer fields.
    /// </summary>
    public static BigInteger CreateDataset(int calldataBytes) => 500_000 + (BigInteger)1_000 * calldataBytes;

    /// <summary><c>matchOrders</c> whose request order carries <paramref name="paramsBytes"/> bytes of params (stored in the deal).</summary>
    public static BigInteger MatchOrders(int paramsBytes) => 1_200_000 + (BigInteger)1_000 * paramsBytes;

    /// <summary><c>manage*Order</c> (a cancel) with <paramref name="calldataBytes"/> bytes of calldata.</summary>
    public static BigInteger ManageOrder(int calldataBytes) => 150_000 + (BigInteger)64 * calldataBytes;

    // Day two, measured on the PoCo v6 contracts on anvil: approveAndCall deposit 82,249 gas; native deposit() 39,684
    // (a first deposit stores a new balance: about 57,000); withdraw 46,424; claim of one task 119,034 (each worker who
    // contributed adds an unlock); initializeAndClaimArray of one task 261,169.

    /// <summary>The RLC token's <c>approveAndCall</c> deposit into the escrow (token chains).</summary>
    public static readonly BigInteger TokenDeposit = 125_000;

    /// <summary>The hub's payable <c>deposit()</c> (native chains).</summary>
    public static readonly BigInteger NativeDeposit = 100_000;

    /// <summary>The hub's <c>withdraw(amount)</c>.</summary>
    public static readonly BigInteger Withdraw = 100_000;

    /// <summary><c>claim</c> of one initialised task, or <c>claimArray</c> of <paramref name="tasks"/> of them.</summary>
    public static BigInteger Claim(int tasks) => 60_000 + (BigInteger)150_000 * tasks;

    /// <summary><c>initializeAndClaimArray</c> of <paramref name="tasks"/> tasks never initialised.</summary>
    public static BigInteger InitializeAndClaim(int tasks) => 60_000 + (BigInteger)350_000 * tasks;
}
