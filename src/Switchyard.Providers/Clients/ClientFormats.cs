namespace Switchyard.Providers.Clients;

/// <summary>The client formats registered in the host, looked up by name (a new format is one more registration).</summary>
public sealed class ClientFormats
{
    private readonly Dictionary<string, IClientFormat> _byName = new(StringComparer.Ordinal);

    public ClientFormats(IEnumerable<IClientFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        foreach (var format in formats)
        {
            _byName.Add(format.Name, format);
        }
    }

    /// <summary>The format called <paramref name="name"/>; throws when none is registered (a wiring mistake, found at startup).</summary>
    public IClientFormat Get(string name) =>
        _byName.TryGetValue(name, out var format) ? format : throw new InvalidOperationException($"No client format '{name}' is registered.");
}
