using IExecSecrets.Core.Config;

namespace IExecSecrets.Core.Apps;

/// <summary>
/// What deploying an app would do, computed without signing or sending anything: the chain, the registry and the
/// address <c>predictApp</c> gives (deterministic: the same arguments always give the same address).
/// </summary>
/// <param name="Chain">The chain the app would be deployed on.</param>
/// <param name="App">The validated app.</param>
/// <param name="Registry">The app registry of the chain's hub.</param>
/// <param name="PredictedAddress">The address the app will have.</param>
public sealed record AppDeploymentPlan(ChainProfile Chain, AppDescriptor App, EthAddress Registry, EthAddress PredictedAddress);
