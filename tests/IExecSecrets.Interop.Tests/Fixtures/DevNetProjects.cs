namespace IExecSecrets.Interop.Tests.Fixtures;

/// <summary>Project folders on a devnet: a fresh temp folder with its chain.json, and chain.json pointed elsewhere.</summary>
internal static class DevNetProjects
{
    /// <summary>A new temp folder named <paramref name="prefix"/>… holding the devnet's chain.json (the 9.x one for <paramref name="v9"/>).</summary>
    public static string Project(this DevNetEnvironment net, string prefix, bool v9 = false)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        File.Copy(v9 ? net.ChainV9JsonPath : net.ChainJsonPath, Path.Combine(folder, "chain.json"));
        return folder;
    }

    /// <summary>Points the devnet entry of <paramref name="project"/>'s chain.json at <paramref name="rpc"/> (a hostile proxy, say).</summary>
    public static void PointChainAt(string project, Uri rpc)
    {
        var chain = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "chain.json")))!;
        chain["chains"]!["devnet"]!["host"] = rpc.ToString().TrimEnd('/');
        File.WriteAllText(Path.Combine(project, "chain.json"), chain.ToJsonString());
    }
}
