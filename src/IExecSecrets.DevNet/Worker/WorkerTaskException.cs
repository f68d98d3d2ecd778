namespace IExecSecrets.DevNet.Worker;

/// <summary>A task the devnet worker cannot complete; the message becomes the task's failure reason (never a secret).</summary>
internal sealed class WorkerTaskException(string reason, Exception? inner = null) : Exception(reason, inner);
