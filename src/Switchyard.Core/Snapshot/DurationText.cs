using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>Durations as the configuration writes them (<c>250ms</c>, <c>30s</c>, <c>12h</c>, <c>30d</c>), for the CLI too.</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value) => YamlNodeReader.TryParseDuration(text, out value);
}
