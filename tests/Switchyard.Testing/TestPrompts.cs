namespace Switchyard.Testing;

/// <summary>Prompts the routing tests share, with what the built-in task models make of them.</summary>
public static class TestPrompts
{
    /// <summary>
    /// A hard multi-step physics question with ten options (MMLU-Pro style): the built-in models call it math or
    /// reasoning and predict the small open models answer it poorly, so quality-ranked routes send it to the large one.
    /// </summary>
    public const string HardPhysics = "A 2.0 kg block slides down a frictionless incline of 30 degrees from a height of 5 m, then compresses a spring with constant 400 N/m. " +
        "Accounting for the rotational inertia of the attached pulley (I = 0.02 kg m^2, r = 0.1 m), what is the maximum compression of the spring?\n" +
        "A. 0.35 m\nB. 0.49 m\nC. 0.52 m\nD. 0.61 m\nE. 0.70 m\nF. 0.44 m\nG. 0.58 m\nH. 0.39 m\nI. 0.66 m\nJ. 0.47 m";

    /// <summary><see cref="HardPhysics"/> escaped for the inside of a JSON string (its line breaks as <c>\n</c>).</summary>
    public static readonly string HardPhysicsJson = HardPhysics.Replace("\n", "\\n", StringComparison.Ordinal);
}
