using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IExecSecrets.Core.Apps;
using IExecSecrets.Core.Errors;

namespace IExecSecrets.Core.Config;

/// <summary>
/// The project files the iExec CLI 8.24 keeps in a working directory, read and written byte-compatibly:
/// <c>iexec.json</c> (resource description and <c>app</c>), <c>chain.json</c> and <c>deployed.json</c>
/// (<c>{"app":{"134":"0x…"}}</c>). Files are written with <c>JSON.stringify(x, null, 2)</c>'s layout: 2-space indent,
/// <c>\n</c>, no trailing newline.
/// </summary>
public static class ProjectFiles
{
    /// <summary>The project file holding the resource description and the <c>app</c> definition.</summary>
    public const string IExecFileName = "iexec.json";

    /// <summary>The file mapping deployed resources to their address per chain id.</summary>
    public const string DeployedFileName = "deployed.json";

    private const string DefaultDescription =
        "My iExec resource description, must be at least 150 chars long in order to pass the validation checks. Describe your application, dataset or workerpool to your users";

    /// <summary>The exact <c>iexec.json</c> text <c>iexec init --skip-wallet</c> 8.24.0 writes (304 bytes).</summary>
    public static string IExecJsonTemplate => ProjectJson.Indented(MainTemplate());

    /// <summary>The exact <c>chain.json</c> text <c>iexec init --skip-wallet</c> 8.24.0 writes (165 bytes).</summary>
    public static string ChainJsonTemplate => ProjectJson.Indented(ChainTemplate());

    /// <summary>
    /// Writes <c>iexec.json</c> and <c>chain.json</c> into <paramref name="directory"/> (created if needed), as
    /// <c>iexec init --skip-wallet</c> does; with <paramref name="appTemplate"/> it also adds what
    /// <c>iexec app init --tee-framework &lt;f&gt;</c> adds (<c>"buyConf": {}</c> and the framework's <c>app</c>, owned by
    /// <paramref name="owner"/> or the zero address). An existing <c>chain.json</c> is kept, with or without
    /// <paramref name="force"/>: it holds the user's chains (a devnet, an RPC node, an SMS), which the public template
    /// would silently replace; <see cref="ProjectInitResult.ChainJsonKept"/> says so. An existing <c>iexec.json</c> is
    /// only replaced when <paramref name="force"/> is set; otherwise <see cref="ErrorIds.ProjectFileExists"/> is thrown
    /// before anything is written.
    /// </summary>
    public static ProjectInitResult Initialize(string directory, bool force, TeeFramework? appTemplate = null, EthAddress? owner = null)
    {
        EnsureCanInitialize(directory, force);
        var iexecPath = Path.GetFullPath(Path.Combine(directory, IExecFileName));
        var chainPath = Path.GetFullPath(Path.Combine(directory, ChainConfigFile.FileName));
        var chainKept = File.Exists(chainPath);
        var main = MainTemplate();
        if (appTemplate is TeeFramework framework)
        {
            main["buyConf"] = new JsonObject();
            main["app"] = AppTemplate(framework, owner ?? EthAddress.Zero);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(iexecPath)!);
        ProjectJson.Write(iexecPath, ProjectJson.Indented(main));
        if (!chainKept) ProjectJson.Write(chainPath, ProjectJson.Indented(ChainTemplate()));
        return new ProjectInitResult(iexecPath, chainPath, appTemplate) { ChainJsonKept = chainKept };
    }

    /// <summary>
    /// Throws <see cref="ErrorIds.ProjectFileExists"/> when <see cref="Initialize"/> would replace an existing
    /// <c>iexec.json</c> in <paramref name="directory"/> and <paramref name="force"/> is not set (an existing
    /// <c>chain.json</c> is kept, never replaced).
    /// </summary>
    public static void EnsureCanInitialize(string directory, bool force)
    {
        if (force) return;
        var paths = new[] { IExecFileName }.Select(name => Path.GetFullPath(Path.Combine(directory, name)));
        foreach (var path in paths.Where(File.Exists))
        {
            throw new IExecException(
                ErrorIds.ProjectFileExists,
                $"\"{Path.GetFileName(path)}\" already exists in \"{Path.GetDirectoryName(path)}\"",
                path)
            { RecommendedAction = "Use -Force to replace the existing iexec.json (an existing chain.json is kept)." };
        }
    }

    /// <summary>
    /// The <c>app</c> object <c>iexec app init --tee-framework &lt;f&gt;</c> 8.24.0 writes: the SCONE and Gramine
    /// hello-world apps with their <c>mrenclave</c>, and for TDX the plain hello-world app.
    /// </summary>
    public static JsonObject AppTemplate(TeeFramework framework, EthAddress owner)
    {
        var app = framework switch
        {
            TeeFramework.Scone => new JsonObject
            {
                ["owner"] = owner.ToString(),
                ["name"] = "hello-world-scone",
                ["type"] = "DOCKER",
                ["multiaddr"] = "docker.io/iexechub/python-hello-world:8.0.0-sconify-5.9.1-v15-production",
                ["checksum"] = "0x15de77fd7ac448028884256b3ab376e7d4560e9ef6acf0594ea0b3c031d5d395",
                ["mrenclave"] = new JsonObject
                {
                    ["framework"] = "SCONE",
                    ["version"] = "v5.9",
                    ["entrypoint"] = "python /app/app.py",
                    ["heapSize"] = 1073741824,
                    ["fingerprint"] = "2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609",
                },
            },
            TeeFramework.Gramine => new JsonObject
            {
                ["owner"] = owner.ToString(),
                ["name"] = "hello-world-gramine",
                ["type"] = "DOCKER",
                ["multiaddr"] = "iexechub/tee-python-hello-world:8.0.3-gramine",
                ["checksum"] = "0x8e13b1592bff2e1651225b1533282ed2e1939ce173c9f0c2c39ed02a4963401f",
                ["mrenclave"] = new JsonObject
                {
                    ["framework"] = "GRAMINE",
                    ["version"] = "v0",
                    ["fingerprint"] = "c879351b3640a21331c4d931d3e32bfbb8373b502966f9c639538666b2cf3641",
                },
            },
            _ => new JsonObject
            {
                ["owner"] = owner.ToString(),
                ["name"] = "hello-world",
                ["type"] = "DOCKER",
                ["multiaddr"] = "iexechub/python-hello-world:8.0.4",
                ["checksum"] = "0xb0b664b7a6d249f81c067a9262b1763144eeb3ca63e553567f71673442ce9e84",
            },
        };
        return app;
    }

    /// <summary>
    /// Reads <c>iexec.json</c> from <paramref name="directory"/>. Throws <see cref="ErrorIds.ProjectFileNotFound"/>
    /// when it is missing and <see cref="ErrorIds.InvalidProjectFile"/> when it is not a JSON object.
    /// </summary>
    public static JsonObject ReadIExecJson(string directory)
    {
        var path = Path.GetFullPath(Path.Combine(directory, IExecFileName));
        if (!File.Exists(path))
        {
            throw new IExecException(
                ErrorIds.ProjectFileNotFound,
                $"Missing \"{IExecFileName}\" file, did you forget to run \"iexec init\"?",
                path)
            { RecommendedAction = "Run Initialize-IExecProject in this directory first." };
        }
        return ReadObject(path);
    }

    /// <summary>
    /// The validated <c>app</c> of <c>iexec.json</c> in <paramref name="directory"/>, encoded for <c>createApp</c>.
    /// Throws <see cref="ErrorIds.InvalidAppDefinition"/> when the section is missing or invalid.
    /// </summary>
    public static AppDescriptor ReadAppDefinition(string directory)
    {
        var iexec = ReadIExecJson(directory);
        if (iexec["app"] is not JsonObject app)
        {
            throw new IExecException(
                ErrorIds.InvalidAppDefinition,
                $"Missing app in \"{IExecFileName}\". Did you forget to run \"iexec app init\"?",
                Path.GetFullPath(Path.Combine(directory, IExecFileName)))
            { RecommendedAction = "Run Initialize-IExecProject -Tee scone, or pass the app fields as parameters." };
        }
        return AppDescriptor.FromJson(app);
    }

    /// <summary>
    /// The validated <c>dataset</c> of <c>iexec.json</c> in <paramref name="directory"/>, encoded for <c>createDataset</c>.
    /// Throws <see cref="ErrorIds.InvalidDatasetDefinition"/> when the section is missing or invalid.
    /// </summary>
    public static Datasets.DatasetDescriptor ReadDatasetDefinition(string directory)
    {
        var iexec = ReadIExecJson(directory);
        if (iexec["dataset"] is not JsonObject dataset)
        {
            throw new IExecException(
                ErrorIds.InvalidDatasetDefinition,
                $"Missing dataset in \"{IExecFileName}\". Did you forget to run \"iexec dataset init\"?",
                Path.GetFullPath(Path.Combine(directory, IExecFileName)))
            { RecommendedAction = "Add a dataset section (owner, name, multiaddr, checksum) to iexec.json, or pass -Name, -Multiaddr and -Checksum." };
        }
        return Datasets.DatasetDescriptor.FromJson(dataset);
    }

    /// <summary>
    /// The address recorded in <c>deployed.json</c> for <paramref name="resource"/> (<c>app</c>, <c>dataset</c>,
    /// <c>workerpool</c>) on <paramref name="chainId"/>, or null when the file or the entry is missing.
    /// </summary>
    public static EthAddress? ReadDeployedAddress(string directory, string resource, ulong chainId)
    {
        var path = Path.GetFullPath(Path.Combine(directory, DeployedFileName));
        if (!File.Exists(path)) return null;
        var deployed = ReadObject(path);
        var text = (deployed[resource] as JsonObject)?[chainId.ToString(CultureInfo.InvariantCulture)] as JsonValue;
        if (text is null) return null;
        if (text.TryGetValue<string>(out var value) && EthAddress.TryParse(value, out var address)) return address;
        throw new IExecException(
            ErrorIds.InvalidProjectFile,
            $"{text.ToJsonString()} is not a valid ethereum address in \"{path}\"",
            path);
    }

    /// <summary>
    /// Records <paramref name="address"/> for <paramref name="resource"/> on <paramref name="chainId"/> in
    /// <c>deployed.json</c>, keeping every other entry (the CLI's <c>saveDeployedObj</c>).
    /// </summary>
    public static string SaveDeployedAddress(string directory, string resource, ulong chainId, EthAddress address)
    {
        var path = Path.GetFullPath(Path.Combine(directory, DeployedFileName));
        var deployed = File.Exists(path) ? ReadObject(path) : new JsonObject();
        if (deployed[resource] is not JsonObject entries)
        {
            entries = new JsonObject();
            deployed[resource] = entries;
        }
        entries[chainId.ToString(CultureInfo.InvariantCulture)] = address.ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ProjectJson.Write(path, ProjectJson.Indented(deployed));
        return path;
    }

    private static JsonObject ReadObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new IExecException(ErrorIds.InvalidProjectFile, $"\"{path}\" must hold a JSON object", path);
        }
        catch (JsonException ex)
        {
            throw new IExecException(ErrorIds.InvalidProjectFile, $"\"{path}\" is not valid JSON: {ex.Message}", path, ex);
        }
    }

    private static JsonObject MainTemplate() => new()
    {
        ["description"] = DefaultDescription,
        ["license"] = "MIT",
        ["author"] = "?",
        ["social"] = new JsonObject { ["website"] = "?", ["github"] = "?" },
        ["logo"] = "logo.png",
    };

    private static JsonObject ChainTemplate()
    {
        var chains = new JsonObject();
        foreach (var chain in BuiltInChains.All) chains[chain.Name] = new JsonObject();
        return new JsonObject { ["default"] = BuiltInChains.DefaultChainName, ["chains"] = chains };
    }
}
