namespace IExecSecrets.Core.Chain;

/// <summary>topic0 values of the events the client reads, computed from their signatures.</summary>
public static class EventTopics
{
    /// <summary>ERC-721/ERC-20 <c>Transfer(address,address,uint256)</c>; registries mint with it (tokenId = the new contract address).</summary>
    public static readonly byte[] Transfer = Abi.EventTopic("Transfer(address,address,uint256)");

    /// <summary>PoCo <c>OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)</c>, emitted by <c>matchOrders</c>.</summary>
    public static readonly byte[] OrdersMatched = Abi.EventTopic("OrdersMatched(bytes32,bytes32,bytes32,bytes32,bytes32,uint256)");

    /// <summary>PoCo <c>SchedulerNotice(address,bytes32)</c>, the workerpool's signal that a deal is to be run.</summary>
    public static readonly byte[] SchedulerNotice = Abi.EventTopic("SchedulerNotice(address,bytes32)");

    /// <summary>PoCo <c>TaskInitialize(bytes32,address)</c>.</summary>
    public static readonly byte[] TaskInitialize = Abi.EventTopic("TaskInitialize(bytes32,address)");

    /// <summary>PoCo <c>TaskFinalize(bytes32,bytes)</c>.</summary>
    public static readonly byte[] TaskFinalize = Abi.EventTopic("TaskFinalize(bytes32,bytes)");
}
