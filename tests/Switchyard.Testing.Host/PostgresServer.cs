using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Switchyard.Testing.Host;

/// <summary>
/// A PostgreSQL server for the tests. <c>SWITCHYARD_TEST_PG</c> (set by <c>.ci/run</c>) names one to use; when it is
/// unset and <c>initdb</c>/<c>pg_ctl</c> are installed, the first test that needs one starts a throwaway cluster
/// (temp directory, loopback port, no fsync) for the whole test process and stops it at exit — so a plain
/// <c>dotnet test</c> runs the PostgreSQL tests too. Without either, <see cref="ConnectionStringAsync"/> returns null
/// with the reason, and the tests report themselves skipped (never silently passed).
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "SWITCHYARD_TEST_PG";

    private static readonly SemaphoreSlim _gate = new(1, 1);
    private static (string? ConnectionString, string? Reason)? _server;

    /// <summary>A connection string to the server's maintenance database, or null and why there is none.</summary>
    public static async Task<(string? ConnectionString, string? Reason)> ConnectionStringAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _server ??= await StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates a fresh, empty database; returns its connection string (null and the reason without a server).</summary>
    public static async Task<(string? ConnectionString, string? Reason)> CreateDatabaseAsync(string prefix, int maxPoolSize = 30)
    {
        var (server, reason) = await ConnectionStringAsync();
        if (server is null)
        {
            return (null, reason);
        }

        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return (new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = maxPoolSize }.ConnectionString, null);
    }

    private static async Task<(string?, string?)> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return (given, null);
        }

        var bin = FindBinDirectory();
        if (bin is null)
        {
            return (null, $"PostgreSQL is not available: set {EnvironmentVariable} or install PostgreSQL (initdb and pg_ctl on PATH or under /usr/lib/postgresql)");
        }

        var directory = Directory.CreateTempSubdirectory("switchyard-pg-").FullName;
        var data = Path.Combine(directory, "data");
        var port = FreePort();
        // initdb refuses to run as root: run the server as the postgres account then.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres", directory]);
        }

        string[] Wrap(string tool, params string[] args) => asRoot ? ["-u", "postgres", "--", Path.Combine(bin, tool), .. args] : args;
        var runner = asRoot ? "runuser" : null;
        var init = await RunAsync(runner ?? Path.Combine(bin, "initdb"), Wrap("initdb", "-D", data, "-A", "trust", "-U", "switchyard", "--no-sync", "-E", "UTF8"));
        if (init != 0)
        {
            return (null, "initdb failed; set " + EnvironmentVariable + " to use an existing server");
        }

        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        var start = await RunAsync(runner ?? Path.Combine(bin, "pg_ctl"), Wrap("pg_ctl", "-D", data, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "start"));
        if (start != 0)
        {
            return (null, "pg_ctl start failed (see " + Path.Combine(directory, "server.log") + ")");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var stop = Process.Start(new ProcessStartInfo(runner ?? Path.Combine(bin, "pg_ctl"), Wrap("pg_ctl", "-D", data, "-m", "immediate", "stop"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            stop?.WaitForExit(10_000);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp directory is the OS's to clean.
            }
        };

        return ($"Host=127.0.0.1;Port={port};Username=switchyard;Database=postgres;Pooling=true", null);
    }

    private static string? FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                // Resolve symlinks so runuser gets the real tool.
                var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
                return target is null ? dir : Path.GetDirectoryName(target.FullName);
            }
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private static async Task<int> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
