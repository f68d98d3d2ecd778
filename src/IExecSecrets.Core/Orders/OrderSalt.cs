using System.Security.Cryptography;

namespace IExecSecrets.Core.Orders;

/// <summary>Order salts: 32 random bytes that make two otherwise identical orders hash differently.</summary>
public static class OrderSalt
{
    /// <summary>32 fresh bytes from the operating system's CSPRNG (the SDK uses <c>ethers.randomBytes(32)</c>).</summary>
    public static byte[] New() => RandomNumberGenerator.GetBytes(32);
}
