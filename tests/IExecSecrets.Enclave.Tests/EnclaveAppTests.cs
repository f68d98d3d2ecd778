using System.Numerics;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// The tutorial app in JavaScript and in Python, run as local processes through <see cref="EnclaveLocalRunner"/>:
/// each case's result.txt is checked against the expected text AND the two apps must agree byte for byte.
/// </summary>
public sealed class EnclaveAppTests
{
    private static readonly BigInteger Large = BigInteger.Parse("12345678901234567890123");

    public static TheoryData<string?, string?, string> Cases => new()
    {
        // app secret, requester secret 1, expected result.txt
        { null, null, """{"x":1,"result":4}""" },
        { "1;2;3;4", "2", """{"x":2,"result":26}""" },
        { "-1;0;2;-3", "-2", """{"x":-2,"result":1}""" },
        { "0.5;0.25;0;1", "1.5", """{"x":1.5,"result":3.25}""" },
        { "0;0;0.1;0.2", "1", """{"x":1,"result":0.3}""" },
        { "1e2;0;0;0", "1e-1", """{"x":0.1,"result":0.1}""" },
        { "1;;;", "2", """{"x":2,"result":15}""" },
        { " 2 ; 3 ;4; 5 ", " 1 ", """{"x":1,"result":14}""" },
        { "", "", """{"x":1,"result":4}""" },
        { "0;0;0;-0", "-0", """{"x":0,"result":0}""" },
        { "1.500;0;0;0", "+2.0", """{"x":2,"result":12}""" },
        { "1;0;0;0", Large.ToString(), $$"""{"x":{{Large}},"result":{{BigInteger.Pow(Large, 3)}}}""" },
        { "-3;0;0;7", "-0.001", """{"x":-0.001,"result":7.000000003}""" },
    };

    public static TheoryData<string?, string?, string> BadInputs => new()
    {
        // app secret, requester secret 1, expected message fragment
        { "1;2;3", "2", "IEXEC_APP_DEVELOPER_SECRET is malformed: expected 4 values separated by ';', got 3" },
        { "1;2;3;4;5", "2", "got 5" },
        { "1;two;3;4", "2", "coefficient b of IEXEC_APP_DEVELOPER_SECRET is not a number" },
        { "1;2;3;4", "abc", "IEXEC_REQUESTER_SECRET_1 is not a number" },
        { "1;2;3;4", "0x10", "IEXEC_REQUESTER_SECRET_1 is not a number" },
        { "1;2;3;4", "NaN", "IEXEC_REQUESTER_SECRET_1 is not a number" },
        { "1;2;3;Infinity", "1", "coefficient d of IEXEC_APP_DEVELOPER_SECRET is not a number" },
        { "1;2;3;4", "1e5000", "IEXEC_REQUESTER_SECRET_1 is out of range" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task JsAndPython_ComputeTheSameExactResult(string? appSecret, string? x, string expected)
    {
        var js = await RunAsync(EnclaveLanguage.JavaScript, appSecret, x);
        var python = await RunAsync(EnclaveLanguage.Python, appSecret, x);

        Assert.True(js.Run.ExitCode == 0, js.Run.StandardError);
        Assert.True(python.Run.ExitCode == 0, python.Run.StandardError);
        Assert.Equal(expected, js.Result);
        Assert.Equal(js.ResultBytes, python.ResultBytes);
        // Each run has its own output folder: the computed.json files must be equal up to that path.
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(js.ComputedBytes!).Replace(js.Run.OutputPath, "<out>", StringComparison.Ordinal),
            System.Text.Encoding.UTF8.GetString(python.ComputedBytes!).Replace(python.Run.OutputPath, "<out>", StringComparison.Ordinal));
        Assert.Equal($$"""{"deterministic-output-path":"{{js.Run.OutputPath}}/result.txt"}""", File.ReadAllText(js.Run.ComputedJsonPath!));
        Assert.Equal(Path.Combine(js.Run.OutputPath, "result.txt"), js.Run.DeterministicOutputPath);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task JsAndPython_RejectBadInputAlikeWithoutPrintingIt(string? appSecret, string? x, string message)
    {
        var js = await RunAsync(EnclaveLanguage.JavaScript, appSecret, x);
        var python = await RunAsync(EnclaveLanguage.Python, appSecret, x);

        Assert.Equal(1, js.Run.ExitCode);
        Assert.Equal(1, python.Run.ExitCode);
        Assert.Contains(message, js.Run.StandardError);
        Assert.Equal(js.Run.StandardError, python.Run.StandardError);
        Assert.Equal(js.Run.StandardOutput, python.Run.StandardOutput);
        Assert.Null(js.Run.ComputedJsonPath);
        Assert.Null(python.Run.ComputedJsonPath);
    }

    public static TheoryData<string?, string?, string, string> DatasetCases => new()
    {
        // app secret, requester secret 1, dataset file content, expected result.txt
        { "9;9;9;9", "2", "1;2;3;4", """{"x":2,"result":26}""" },
        { "9;9;9;9", null, """{"coefficients":"1;2;3;4","x":"2"}""", """{"x":2,"result":26}""" },
        { "1;2;3;4", null, """{"x":"2"}""", """{"x":2,"result":26}""" },
        { "1;2;3;4", "3", """{"x":"2"}""", """{"x":3,"result":58}""" },
        { "1;2;3;4", " ", """{"x":"-0.5","unrelated":[1,2]}""", """{"x":-0.5,"result":2.875}""" },
        { null, null, "\n 0;0;1;0 \r\n", """{"x":1,"result":1}""" },
        { "1;0;0;0", "2", "{}", """{"x":2,"result":8}""" },
    };

    public static TheoryData<string, string> BadDatasets => new()
    {
        // dataset file content, expected message fragment
        { "1;2;3", "the dataset is malformed: expected 4 values separated by ';', got 3" },
        { "1;two;3;4", "coefficient b of the dataset is not a number" },
        { """{"coefficients":1234}""", "the dataset is malformed: its coefficients is not a string" },
        { """{"x":"abc"}""", "x of the dataset is not a number" },
        { """{"x":""", "the dataset is malformed: it starts with { but is not JSON" },
        { """{"x":[1]}""", "the dataset is malformed: its x is not a string" },
    };

    [Theory]
    [MemberData(nameof(DatasetCases))]
    public async Task JsAndPython_ReadTheDataset_AndAgree(string? appSecret, string? x, string dataset, string expected)
    {
        var js = await RunAsync(EnclaveLanguage.JavaScript, appSecret, x, dataset: dataset);
        var python = await RunAsync(EnclaveLanguage.Python, appSecret, x, dataset: dataset);

        Assert.True(js.Run.ExitCode == 0, js.Run.StandardError);
        Assert.True(python.Run.ExitCode == 0, python.Run.StandardError);
        Assert.Equal(expected, js.Result);
        Assert.Equal(js.ResultBytes, python.ResultBytes);
    }

    [Theory]
    [MemberData(nameof(BadDatasets))]
    public async Task JsAndPython_RejectABadDatasetAlike_WithoutPrintingIt(string dataset, string message)
    {
        var js = await RunAsync(EnclaveLanguage.JavaScript, "1;2;3;4", null, dataset: dataset);
        var python = await RunAsync(EnclaveLanguage.Python, "1;2;3;4", null, dataset: dataset);

        Assert.Equal(1, js.Run.ExitCode);
        Assert.Equal(1, python.Run.ExitCode);
        Assert.Contains(message, js.Run.StandardError);
        Assert.Equal(js.Run.StandardError, python.Run.StandardError);
        Assert.DoesNotContain(dataset, js.Run.StandardError + js.Run.StandardOutput);
        Assert.Null(js.Run.ComputedJsonPath);
    }

    [Theory]
    [InlineData(EnclaveLanguage.JavaScript)]
    [InlineData(EnclaveLanguage.Python)]
    public async Task App_NamedDatasetFileMissing_FailsNamingTheVariableNotTheFile(EnclaveLanguage language)
    {
        var run = await RunAsync(language, "1;2;3;4", "2", dataset: null, datasetFileName: "0x0000000000000000000000000000000000000bad");

        Assert.Equal(1, run.Run.ExitCode);
        Assert.Contains("the dataset file IEXEC_IN/IEXEC_DATASET_FILENAME cannot be read (ENOENT)", run.Run.StandardError);
    }

    [Theory]
    [InlineData(EnclaveLanguage.JavaScript)]
    [InlineData(EnclaveLanguage.Python)]
    public async Task App_NeverPrintsSecretValues(EnclaveLanguage language)
    {
        const string secretCoefficient = "918273645";
        const string secretX = "secret-x-7f3a9c";

        var malformed = await RunAsync(language, $"{secretCoefficient};2;3", "2");
        var badX = await RunAsync(language, "1;2;3;4", secretX);
        var good = await RunAsync(language, $"{secretCoefficient};0;0;0", "1");

        foreach (var run in new[] { malformed.Run, badX.Run, good.Run })
        {
            Assert.DoesNotContain(secretCoefficient, run.StandardOutput + run.StandardError);
            Assert.DoesNotContain(secretX, run.StandardOutput + run.StandardError);
            Assert.DoesNotContain("7f3a9c", run.StandardOutput + run.StandardError);
        }
        Assert.Equal(0, good.Run.ExitCode);
        Assert.Equal("""{"x":1,"result":918273645}""", good.Result);
    }

    [Fact]
    public async Task Runner_IgnoresIExecVariablesOfTheCallingProcess()
    {
        Environment.SetEnvironmentVariable("IEXEC_REQUESTER_SECRET_1", "5");
        try
        {
            var run = await RunAsync(EnclaveLanguage.JavaScript, "1;0;0;0", null);

            Assert.Equal("""{"x":1,"result":1}""", run.Result);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IEXEC_REQUESTER_SECRET_1", null);
        }
    }

    [Fact]
    public async Task Runner_RejectsIndexZeroBeforeRunning()
    {
        var request = new EnclaveRunRequest
        {
            AppPath = RepoPaths.JsApp,
            OutputPath = RepoPaths.NewTempFolder("enclave-out"),
            RequesterSecrets = new Dictionary<int, ReadOnlyMemory<byte>> { [0] = "1"u8.ToArray() },
        };

        var error = await Assert.ThrowsAsync<IExecSecrets.Core.Errors.IExecException>(() => EnclaveLocalRunner.RunAsync(request, default));

        Assert.Equal(IExecSecrets.Core.Errors.ErrorIds.InvalidRequesterSecretIndex, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(request.OutputPath));
    }

    [Theory]
    [InlineData("app.py")]
    [InlineData("app.js")]
    public async Task Runner_GivenTheAppFileItself_RunsItInTheLanguageOfItsExtension(string file)
    {
        // What a user tab-completes: -Path ./enclave/js/app.js rather than the folder.
        var folder = file.EndsWith(".py", StringComparison.Ordinal) ? RepoPaths.PythonApp : RepoPaths.JsApp;
        var request = new EnclaveRunRequest
        {
            AppPath = Path.Combine(folder, file),
            AppSecret = "1;2;3;4"u8.ToArray(),
            RequesterSecrets = new Dictionary<int, ReadOnlyMemory<byte>> { [1] = "2"u8.ToArray() },
            OutputPath = RepoPaths.NewTempFolder("enclave-out"),
        };

        var run = await EnclaveLocalRunner.RunAsync(request, default);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("""{"x":2,"result":26}""", File.ReadAllText(Path.Combine(run.OutputPath, "result.txt")));
    }

    [Fact]
    public async Task Runner_GivenAFileOfNoKnownLanguage_FailsWithEnclaveLanguageUnknownBeforeRunning()
    {
        var script = Path.Combine(RepoPaths.NewTempFolder("enclave-app"), "app.rb");
        File.WriteAllText(script, "puts 1");
        var request = new EnclaveRunRequest { AppPath = script, OutputPath = RepoPaths.NewTempFolder("enclave-out") };

        var error = await Assert.ThrowsAsync<IExecSecrets.Core.Errors.IExecException>(() => EnclaveLocalRunner.RunAsync(request, default));

        Assert.Equal(IExecSecrets.Core.Errors.ErrorIds.EnclaveLanguageUnknown, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(request.OutputPath));
    }

    internal sealed record AppRun(EnclaveRunResult Run, string? Result, byte[]? ResultBytes, byte[]? ComputedBytes);

    internal static async Task<AppRun> RunAsync(EnclaveLanguage language, string? appSecret, string? x, string? image = null, string? dockerHost = null,
        string? dataset = null, string? datasetFileName = null)
    {
        var secrets = new Dictionary<int, ReadOnlyMemory<byte>>();
        if (x is not null) secrets[1] = System.Text.Encoding.UTF8.GetBytes(x);
        string? input = null;
        if (dataset is not null || datasetFileName is not null)
        {
            // As the worker hands it over: the decrypted file in IEXEC_IN, named after the dataset's address.
            input = RepoPaths.NewTempFolder("enclave-in");
            datasetFileName ??= "0x2b0d6d4ecb4bc1a1e9a3f2b2fe1d7a21c8ab1234";
            if (dataset is not null) File.WriteAllText(Path.Combine(input, datasetFileName), dataset);
        }
        var request = new EnclaveRunRequest
        {
            InputPath = input,
            DatasetFileName = datasetFileName,
            AppPath = language == EnclaveLanguage.Python ? RepoPaths.PythonApp : RepoPaths.JsApp,
            Language = language,
            Image = image,
            DockerHost = dockerHost,
            AppSecret = appSecret is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(appSecret),
            RequesterSecrets = secrets,
            OutputPath = RepoPaths.NewTempFolder("enclave-out"),
        };
        var run = await EnclaveLocalRunner.RunAsync(request, default);
        var resultPath = Path.Combine(run.OutputPath, "result.txt");
        var computedPath = Path.Combine(run.OutputPath, "computed.json");
        return new AppRun(
            run,
            File.Exists(resultPath) ? File.ReadAllText(resultPath) : null,
            File.Exists(resultPath) ? File.ReadAllBytes(resultPath) : null,
            File.Exists(computedPath) ? File.ReadAllBytes(computedPath) : null);
    }
}
