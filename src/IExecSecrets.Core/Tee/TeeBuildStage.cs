namespace IExecSecrets.Core.Tee;

/// <summary>The steps of a TEE image build, in the order they run.</summary>
public enum TeeBuildStage
{
    /// <summary>Checking inputs and that a Docker engine answers.</summary>
    Validating,

    /// <summary><c>docker build</c> of the app folder into the plain image.</summary>
    Building,

    /// <summary>Running the sconify image to turn the plain image into the enclave image.</summary>
    Sconifying,

    /// <summary>Running the enclave image with <c>SCONE_HASH=1</c> to read its MRENCLAVE.</summary>
    Fingerprinting,

    /// <summary>Pushing the enclave image to its registry.</summary>
    Pushing,

    /// <summary>Writing <c>app</c> in <c>iexec.json</c>.</summary>
    UpdatingProject,

    /// <summary>Every step succeeded.</summary>
    Completed,
}
