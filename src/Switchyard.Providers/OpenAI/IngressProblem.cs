using Switchyard.Core.Model;
namespace Switchyard.Providers.OpenAI;

/// <summary>
/// The parsers' refusal (<see cref="IngressError"/>) as the chain's <see cref="Problem"/>: the one seam between them,
/// to be deleted when the parsers return a <see cref="Problem"/> themselves.
/// </summary>
public static class IngressProblem
{
    public static (CanonicalRequest? Request, Problem? Problem) From((CanonicalRequest? Request, IngressError? Error) parsed) =>
        parsed.Error is { } error
            ? (null, new Problem(error.StatusCode, error.Code, error.Message) { Param = error.Param, Type = error.Type })
            : (parsed.Request, null);
}
