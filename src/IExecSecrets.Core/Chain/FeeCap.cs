using System.Globalization;
using System.Numerics;
using IExecSecrets.Core.Config;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Chain;

/// <summary>
/// The most a transaction may pay per unit of gas, and where that figure comes from. A <see cref="TransactionSender"/>
/// refuses to sign anything whose fee per gas (legacy gas price, or EIP-1559 base fee plus tip) is above it
/// (<see cref="ErrorIds.FeeAboveCap"/>), so a node that answers absurd fee figures cannot spend the wallet's funds.
/// </summary>
/// <remarks>
/// <para>The cap is, first found: <c>-MaxFeePerGas</c> on the command; the saved default
/// (<c>Set-IExecConfiguration -MaxFeePerGas</c>); <c>maxFeePerGas</c> of the chain's <c>chain.json</c> entry; the
/// built-in default for the chain id (<see cref="DefaultFor"/>).</para>
/// <para>Built-in defaults: bellecour (134) 0, since iexec SDK 8.24 forces a zero gas price there
/// (<c>gasPriceByNetwork[134] = 0n</c>) and so does this module; Ethereum mainnet (1) 100 gwei; Arbitrum One (42161)
/// 1 gwei and Arbitrum Sepolia (421614) 10 gwei, far above their 0.01 and 0.1 gwei floors, where iexec SDK 9.0.1 (ethers
/// <c>getFeeData</c>) signs 2·base fee + tip and checks nothing; any other chain 100 gwei.</para>
/// </remarks>
/// <param name="MaxFeePerGas">The cap in wei per gas.</param>
/// <param name="Source">Where the cap comes from, as shown in messages (<c>-MaxFeePerGas</c>, <c>chain.json</c>, …).</param>
public sealed record FeeCap(BigInteger MaxFeePerGas, string Source)
{
    /// <summary>One gwei in wei.</summary>
    public static readonly BigInteger Gwei = BigInteger.Pow(10, 9);

    /// <summary>One ether (or xRLC on bellecour) in wei.</summary>
    public static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    /// <summary>The built-in cap for a chain the module knows nothing about.</summary>
    public static readonly BigInteger GenericDefault = 100 * Gwei;

    /// <summary>
    /// Set when <c>chain.json</c> raised the cap above the built-in default of a built-in chain id: a warning to
    /// show once, since a file in the current folder then decides how much a transaction may cost.
    /// </summary>
    public string? Warning { get; init; }

    /// <summary>The built-in cap for <paramref name="chainId"/> (see the remarks).</summary>
    public static BigInteger DefaultFor(ulong chainId) => chainId switch
    {
        134 => BigInteger.Zero,
        1 => 100 * Gwei,
        42161 => Gwei,
        421614 => 10 * Gwei,
        _ => GenericDefault,
    };

    /// <summary>
    /// The cap for <paramref name="chain"/>: <paramref name="parameter"/> (the text of <c>-MaxFeePerGas</c>), else
    /// <paramref name="savedDefault"/>, else the chain's <c>maxFeePerGas</c>, else the built-in default. A parameter
    /// or saved value that is not an amount fails <see cref="ErrorIds.InvalidFeeCap"/> before anything else.
    /// </summary>
    public static FeeCap Resolve(ChainProfile chain, string? parameter = null, string? savedDefault = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (!string.IsNullOrWhiteSpace(parameter)) return new FeeCap(ParseWei(parameter, "-MaxFeePerGas"), "-MaxFeePerGas");
        if (!string.IsNullOrWhiteSpace(savedDefault)) return new FeeCap(ParseWei(savedDefault, "the saved MaxFeePerGas"), "the saved default MaxFeePerGas");
        var builtIn = DefaultFor(chain.ChainId);
        if (chain.MaxFeePerGas is { } configured)
        {
            var raised = BuiltInChains.FindById(chain.ChainId) is { } known && configured > builtIn
                ? $"chain.json raises the fee cap of chain {chain.ChainId} ({known.Name}) from {FormatPerGas(builtIn)} to {FormatPerGas(configured)} per gas; "
                  + "a transaction may cost that much if the RPC node asks for it."
                : null;
            return new FeeCap(configured, $"maxFeePerGas of \"{chain.Name}\" in chain.json") { Warning = raised };
        }
        return new FeeCap(builtIn, $"the built-in cap of chain {chain.ChainId}");
    }

    /// <summary>
    /// Parses an amount of wei: a decimal number of wei (<c>2000000000</c>), or a number with a unit <c>wei</c>,
    /// <c>gwei</c> or <c>ether</c> (<c>2 gwei</c>, <c>0.5gwei</c>, <c>0.001 ether</c>) that comes to a whole number of
    /// wei. Anything else fails <see cref="ErrorIds.InvalidFeeCap"/> naming <paramref name="what"/>.
    /// </summary>
    public static BigInteger ParseWei(string text, string what) =>
        TryParseWei(text, out var wei) ? wei : throw new IExecException(ErrorIds.InvalidFeeCap,
            $"{what} '{text}' is not an amount of wei: give a whole number of wei (2000000000) or a number with a unit (2 gwei, 0.5 gwei, 0.001 ether).", what);

    /// <summary>The non-throwing <see cref="ParseWei"/>.</summary>
    public static bool TryParseWei(string? text, out BigInteger wei)
    {
        wei = BigInteger.Zero;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 80) return false;
        var trimmed = text.Trim();
        var unit = BigInteger.One;
        foreach (var (suffix, scale) in new[] { ("gwei", Gwei), ("ether", Ether), ("wei", BigInteger.One) })
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                unit = scale;
                break;
            }
        }
        var parts = trimmed.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit))) return false;
        var fraction = parts.Length == 2 ? parts[1].TrimEnd('0') : "";
        if (parts.Length == 2 && parts[1].Length == 0) return false;
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        if (fraction.Length > digits) return false; // a fraction of a wei
        wei = BigInteger.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture) * unit
            + (fraction.Length == 0 ? BigInteger.Zero : BigInteger.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * BigInteger.Pow(10, digits - fraction.Length));
        return true;
    }

    /// <summary>A fee per gas for messages: <c>2 gwei</c>, <c>0.01 gwei</c>, or <c>12 wei</c> below a thousandth of a gwei.</summary>
    public static string FormatPerGas(BigInteger wei) =>
        wei < 1_000_000 ? $"{wei.ToString(CultureInfo.InvariantCulture)} wei" : $"{Decimal(wei, 9)} gwei";

    /// <summary>
    /// An amount for messages in the chain's currency: <c>0.00105 ETH</c>, or <c>xRLC</c> on a chain where RLC is the
    /// native coin (<see cref="ChainProfile.IsNative"/>).
    /// </summary>
    public static string FormatAmount(BigInteger wei, ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return $"{Decimal(wei, 18)} {(chain.IsNative ? "xRLC" : "ETH")}";
    }

    /// <summary>The fee per gas a transaction on <paramref name="chain"/> can pay under this cap: 0 where the gas price is forced to 0.</summary>
    public BigInteger EffectiveFor(ChainProfile chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.GasPriceOverride is { } forced ? BigInteger.Min(forced, MaxFeePerGas) : MaxFeePerGas;
    }

    /// <summary>
    /// The worst case of a transaction of at most <paramref name="gasCeiling"/> gas on <paramref name="chain"/>, for
    /// <c>-WhatIf</c>/<c>-Confirm</c>: "at most 0.00105 ETH (1050000 gas at 1 gwei)".
    /// </summary>
    public string DescribeWorstCase(BigInteger gasCeiling, ChainProfile chain)
    {
        var perGas = EffectiveFor(chain);
        return $"at most {FormatAmount(gasCeiling * perGas, chain)} in fees ({gasCeiling.ToString(CultureInfo.InvariantCulture)} gas at {FormatPerGas(perGas)}, cap from {Source})";
    }

    private static string Decimal(BigInteger wei, int decimals)
    {
        var scale = BigInteger.Pow(10, decimals);
        var whole = BigInteger.DivRem(wei, scale, out var rest);
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + (fraction.Length == 0 ? "" : "." + fraction);
    }
}
