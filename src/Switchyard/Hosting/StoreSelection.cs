using Switchyard.Core.Snapshot;
namespace Switchyard.Hosting;

/// <summary>
/// Which store the process uses, decided once at start-up from the configuration's <c>storage</c> section
/// (a reload never switches stores): SQLite under the data directory by default, PostgreSQL when
/// <c>storage.kind: postgres</c> names a set connection-string variable.
/// </summary>
internal sealed record StoreSelection(string DataDir, string? PostgresConnectionString)
{
    public static StoreSelection Resolve(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (config, errors) = ConfigLoader.LoadFile(options.ConfigPath);
        if (errors.Count > 0)
        {
            // The configuration's own load reports every error, with file and line, right after this.
            return new StoreSelection(options.DataDir, null);
        }

        return FromConfig(config.Storage, options.DataDir, options.Environment, config.Source, config.SourcePath);
    }

    public static StoreSelection FromConfig(StorageConfig storage, string dataDir, Func<string, string?> environment, ConfigSource source, string file)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(source);
        if (storage.Kind != "postgres")
        {
            return new StoreSelection(dataDir, null);
        }

        var variable = storage.ConnectionStringEnv!;
        var value = environment(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigException([source.Error("storage.connection_string_env",
                $"storage.kind is postgres but environment variable {variable} is not set (it must hold the PostgreSQL connection string)") with { File = file }]);
        }

        return new StoreSelection(dataDir, value.Trim());
    }
}
