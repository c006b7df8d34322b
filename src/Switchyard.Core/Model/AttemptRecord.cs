namespace Switchyard.Core.Model;

/// <summary>One upstream attempt of a request (Execute writes it; the ledger record carries the list).</summary>
public sealed record AttemptRecord(string DeploymentId, string Status, int UpstreamStatusCode, double DurationMs);
