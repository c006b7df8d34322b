using Switchyard.Core.Model;

namespace Switchyard.Pipeline;

/// <summary>
/// The parsers' refusal as the request pipeline still reads it: the parsers return Core's <see cref="Problem"/>
/// (issue 14, decision 3), converted here so the pipeline and the client egresses compile unchanged until the chain's
/// sequencer reads the <see cref="Problem"/> itself; then this type goes.
/// </summary>
internal sealed record IngressError(int StatusCode, string Message, string? Param, string Code, string Type = "invalid_request_error")
{
    /// <summary>A parse result's refusal: the tuple the parsers return converts element by element.</summary>
    public static implicit operator IngressError?(Problem? problem) =>
        problem is null ? null : new IngressError(problem.Status, problem.Message, problem.Param, problem.Code, problem.Type);
}
