using IExecSecrets.Core.Chain;
using IExecSecrets.Core.Orders;

namespace IExecSecrets.Core.PoCo;

/// <summary>
/// PoCo's order management calls (<c>IexecOrderManagement</c>): <c>manage*Order((order, operation, sign))</c> with
/// operation 1 (CLOSE) sets the order's consumed volume to its volume, so no deal can use it any more. Sent by the
/// order's owner (the app, dataset or workerpool <c>owner()</c>, or the request order's requester) the operation
/// needs no signature, as <c>iexec order cancel</c> 8.24 sends it (sign <c>0x</c>). The order tuple inside is the
/// one <c>matchOrders</c> takes, signature included; the order hash PoCo closes does not depend on it.
/// </summary>
public static class OrderManagement
{
    /// <summary>The CLOSE operation (<c>OrderOperationEnum.CLOSE</c>).</summary>
    public const int CloseOperation = 1;

    /// <summary><c>manageAppOrder</c> with the app order tuple.</summary>
    public const string ManageAppOrderSignature =
        "manageAppOrder(((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),uint8,bytes))";

    /// <summary><c>manageDatasetOrder</c> with the dataset order tuple.</summary>
    public const string ManageDatasetOrderSignature =
        "manageDatasetOrder(((address,uint256,uint256,bytes32,address,address,address,bytes32,bytes),uint8,bytes))";

    /// <summary><c>manageWorkerpoolOrder</c> with the workerpool order tuple.</summary>
    public const string ManageWorkerpoolOrderSignature =
        "manageWorkerpoolOrder(((address,uint256,uint256,bytes32,uint256,uint256,address,address,address,bytes32,bytes),uint8,bytes))";

    /// <summary><c>manageRequestOrder</c> with the request order tuple.</summary>
    public const string ManageRequestOrderSignature =
        "manageRequestOrder(((address,uint256,address,uint256,address,uint256,address,uint256,bytes32,uint256,uint256,address,address,string,bytes32,bytes),uint8,bytes))";

    /// <summary><c>ClosedAppOrder(bytes32)</c>, <c>ClosedDatasetOrder(bytes32)</c>, … by kind: the event a close emits (hash in data).</summary>
    public static byte[] ClosedTopic(OrderKind kind) => Abi.EventTopic(kind switch
    {
        OrderKind.App => "ClosedAppOrder(bytes32)",
        OrderKind.Dataset => "ClosedDatasetOrder(bytes32)",
        OrderKind.Workerpool => "ClosedWorkerpoolOrder(bytes32)",
        _ => "ClosedRequestOrder(bytes32)",
    });

    /// <summary>The calldata that closes <paramref name="order"/> when sent by its app's owner.</summary>
    public static byte[] EncodeClose(AppOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Abi.EncodeCall(ManageAppOrderSignature, Operation(order.ToMatchOrdersTuple()));
    }

    /// <summary>The calldata that closes <paramref name="order"/> when sent by its dataset's owner.</summary>
    public static byte[] EncodeClose(DatasetOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Abi.EncodeCall(ManageDatasetOrderSignature, Operation(order.ToMatchOrdersTuple()));
    }

    /// <summary>The calldata that closes <paramref name="order"/> when sent by its workerpool's owner.</summary>
    public static byte[] EncodeClose(WorkerpoolOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Abi.EncodeCall(ManageWorkerpoolOrderSignature, Operation(order.ToMatchOrdersTuple()));
    }

    /// <summary>The calldata that closes <paramref name="order"/> when sent by its requester.</summary>
    public static byte[] EncodeClose(RequestOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Abi.EncodeCall(ManageRequestOrderSignature, Operation(order.ToMatchOrdersTuple()));
    }

    /// <summary>The calldata that closes <paramref name="order"/>, whatever its kind.</summary>
    public static byte[] EncodeClose(AnyOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Order switch
        {
            AppOrder o => EncodeClose(o),
            DatasetOrder o => EncodeClose(o),
            WorkerpoolOrder o => EncodeClose(o),
            RequestOrder o => EncodeClose(o),
            _ => throw new InvalidOperationException(),
        };
    }

    private static object?[] Operation(object?[] orderTuple) => [new object?[] { orderTuple, CloseOperation, Array.Empty<byte>() }];
}
