using System.Numerics;

namespace IExecSecrets.Core.Chain;

// The fee fields of one transaction: legacy (GasPrice = MaxFee) or type 2 (MaxFee and Tip).
internal sealed record Fees(TransactionType Type, BigInteger MaxFee, BigInteger Tip)
{
    public static Fees Legacy(BigInteger price) => new(TransactionType.Legacy, price, price);

    public static Fees Eip1559(BigInteger maxFee, BigInteger tip) => new(TransactionType.Eip1559, maxFee, tip);

    public EthTransaction Apply(EthTransaction transaction) => Type == TransactionType.Legacy
        ? transaction with { Type = TransactionType.Legacy, GasPrice = MaxFee }
        : transaction with { Type = TransactionType.Eip1559, MaxFeePerGas = MaxFee, MaxPriorityFeePerGas = Tip };
}
