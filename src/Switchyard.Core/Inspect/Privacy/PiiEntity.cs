using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Where an entity was found: a type, an offset and a length into the scanned text. Never the value: spans may
/// be logged or stored, values may not.
/// </summary>
/// <param name="Type">The entity type.</param>
/// <param name="Start">Offset (UTF-16 code units) in the scanned text.</param>
/// <param name="Length">Length (UTF-16 code units).</param>
/// <param name="Custom">Index of the custom detector for <see cref="PiiType.Custom"/>; -1 otherwise.</param>
public readonly record struct PiiSpan(PiiType Type, int Start, int Length, int Custom = -1)
{
    public int End => Start + Length;
}
