using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IExecSecrets.TestSupport.Doubles;

/// <summary>
/// One page of a hostile market's order book as iexec-market-api serves it (<c>pageIndex</c>, <c>pageSize</c> default
/// 20, <c>count</c>, <c>nextPage</c> as an offset while entries follow), shared by <see cref="HostileMarket"/> and
/// <see cref="PagedHostileMarket"/>; the entries are served as the test wrote them, however wrong.
/// </summary>
internal static class OrderBookPage
{
    /// <summary>The JSON answer for <paramref name="path"/>; a path that names no book is answered "not here".</summary>
    public static string Answer(HttpRequest request, string path, List<JsonNode> appOrders, List<JsonNode> workerpoolOrders, List<JsonNode> datasetOrders)
    {
        var book = path.StartsWith("/apporders", StringComparison.Ordinal) ? appOrders
            : path.StartsWith("/workerpoolorders", StringComparison.Ordinal) ? workerpoolOrders
            : path.StartsWith("/datasetorders", StringComparison.Ordinal) ? datasetOrders
            : null;
        if (book is null) return "{\"ok\":false,\"error\":\"not here\"}";

        var size = int.TryParse(request.Query["pageSize"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 20;
        var index = int.TryParse(request.Query["pageIndex"], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
        var orders = new JsonArray();
        int total;
        lock (book)
        {
            total = book.Count;
            foreach (var entry in book.Skip(index * size).Take(size)) orders.Add(entry.DeepClone());
        }

        var answer = new JsonObject { ["ok"] = true, ["count"] = total, ["orders"] = orders };
        if ((index + 1) * size < total) answer["nextPage"] = (index + 1) * size;
        return answer.ToJsonString();
    }
}
