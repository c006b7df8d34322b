using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Core.Route;

/// <summary>
/// The hard constraints, in one function: what may never be traded for cost or speed. Route calls it for every
/// deployment it plans; Execute calls it again right before each send (defence in depth: a candidate that fails it
/// is never sent to, and the audit shows it).
/// </summary>
public static class HardConstraints
{
    /// <summary>
    /// Why <paramref name="deployment"/> may not receive the request, or null when it may: the model's operation,
    /// capabilities and context window; the deployment's wire format; the data class against its trust zone; the
    /// caller's allowed zones (when <paramref name="caller"/> is given).
    /// </summary>
    public static RouteExclusion? Check(CanonicalRequest request, Inspect.Inspection inspection, Caller? caller, Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(deployment);
        var model = deployment.Model;
        if (ModelProblem(request, inspection, model, out var kind) is { } problem)
        {
            return new RouteExclusion(deployment.Id, model.Name, kind, problem);
        }

        if (deployment.Adapter.CannotCarry(request) is { } untranslatable)
        {
            // The deployment's wire format cannot carry part of the request: another deployment may (no silent degradation).
            return new RouteExclusion(deployment.Id, model.Name, ExclusionKind.Untranslatable, untranslatable);
        }

        if (!ZoneAllows(inspection.DataClass, deployment.Zone))
        {
            return new RouteExclusion(deployment.Id, model.Name, ExclusionKind.TrustZone,
                $"{RouteRefusals.ZoneName(deployment.Zone)} zone not allowed for {inspection.DataClass.ToString().ToLowerInvariant()} data");
        }

        if (caller is not null && !caller.MayReach(deployment.Zone))
        {
            return new RouteExclusion(deployment.Id, model.Name, ExclusionKind.TrustZone,
                $"{RouteRefusals.ZoneName(deployment.Zone)} zone not allowed by the caller's policy");
        }

        return null;
    }

    /// <summary>Zones a data class may reach (DESIGN: restricted → self-hosted only).</summary>
    public static bool ZoneAllows(DataClass dataClass, TrustZone zone) => dataClass switch
    {
        DataClass.Restricted => zone == TrustZone.SelfHosted,
        DataClass.Confidential => zone is TrustZone.SelfHosted or TrustZone.Private,
        _ => true,
    };

    /// <summary>Why a model cannot take this request at all (operation, capability, context window), or null.</summary>
    private static string? ModelProblem(CanonicalRequest request, Inspect.Inspection inspection, ModelInfo model, out ExclusionKind kind)
    {
        kind = ExclusionKind.Capability;
        var needed = inspection.Features;
        if (request.Operation == Operation.Embeddings && !model.SupportsEmbeddings)
        {
            return "does not serve embeddings";
        }

        if (request.Operation == Operation.ChatCompletion && !model.SupportsChat)
        {
            return "does not serve chat completions";
        }

        if ((needed & ~model.Supports) is var missing and not RequestFeatures.None)
        {
            return "lacks " + RouteRefusals.FeatureNames(missing);
        }

        var maxOutput = request.MaxOutputTokens ?? 0;
        if (model.ContextWindow is { } window && inspection.EstimatedInputTokens + maxOutput > window)
        {
            kind = ExclusionKind.ContextWindow;
            return $"context window {window} < ~{inspection.EstimatedInputTokens} input + {maxOutput} output tokens";
        }

        return null;
    }
}
