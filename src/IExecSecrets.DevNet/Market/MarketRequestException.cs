namespace IExecSecrets.DevNet.Market;

/// <summary>A request the market refuses; its message is the <c>error</c> of the <c>{ok:false}</c> answer.</summary>
internal sealed class MarketRequestException(string message, int statusCode = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
