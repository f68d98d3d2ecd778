namespace IExecSecrets.Core.Orders;

/// <summary>
/// What the four PoCo order records share: the signature, the EIP-712 order hash over the members in type order, signing,
/// recovery and the <c>matchOrders</c> tuple. Each order says only its EIP-712 type and its members' values.
/// </summary>
/// <typeparam name="TOrder">The order record itself, so <see cref="SignWith"/> returns it.</typeparam>
public abstract record SignedOrder<TOrder>
    where TOrder : SignedOrder<TOrder>
{
    /// <summary>The signer's (owner's or requester's) EIP-712 signature, <c>0x</c> + 130 hex digits, or <c>0x</c> when unsigned.</summary>
    public string Sign { get; init; } = "0x";

    /// <summary>The order's EIP-712 type (the static <c>Eip712Type</c> of the record).</summary>
    protected abstract TypedDataType TypedData { get; }

    /// <summary>
    /// The order hash: the EIP-712 digest PoCo's <c>viewConsumed</c> and the market's <c>orderHash</c> use; for a
    /// request order also the input of <see cref="ExecutionIds.DealId"/>.
    /// </summary>
    public byte[] Hash(Eip712Domain domain) => OrderSigning.Hash(TypedData, Members(), domain);

    /// <summary>A copy of this order with <see cref="Sign"/> set to <paramref name="signer"/>'s signature of <see cref="Hash"/>.</summary>
    public TOrder SignWith(IEthSigner signer, Eip712Domain domain) => (TOrder)(this with { Sign = OrderSigning.Sign(signer, Hash(domain)) });

    /// <summary>The address that produced <see cref="Sign"/>; throws when the order is unsigned.</summary>
    public EthAddress RecoverSigner(Eip712Domain domain) => OrderSigning.RecoverSigner(Hash(domain), Sign, typeof(TOrder).Name);

    /// <summary>
    /// The order as the ABI tuple <c>matchOrders</c> takes: the EIP-712 members in order, then <see cref="Sign"/> as
    /// raw bytes (empty for <c>0x</c>).
    /// </summary>
    public object?[] ToMatchOrdersTuple() => [.. Members(), Hex.Decode(Sign)];

    /// <summary>The EIP-712 members by name, in the type's order (what the market API's JSON orders hold, before <c>sign</c>).</summary>
    internal IEnumerable<KeyValuePair<string, object?>> NamedMembers() =>
        TypedData.Fields.Zip(Members(), (field, value) => new KeyValuePair<string, object?>(field.Name, value));

    /// <summary>The EIP-712 members' values, in the type's order.</summary>
    protected abstract object?[] Members();
}
