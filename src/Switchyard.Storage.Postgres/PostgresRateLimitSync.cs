using Npgsql;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using static Switchyard.Storage.Postgres.PostgresStore;
namespace Switchyard.Storage.Postgres;

/// <summary>Rate-limit reconciliation: each replica publishes its counters and reads the others' in one round trip.</summary>
public sealed class PostgresRateLimitSync(PostgresStore database) : IRateLimitSync
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    public async Task<(IReadOnlyList<RateCounter> Others, int LiveReplicas)> ExchangeAsync(string replicaId, IReadOnlyList<RateCounter> mine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var nowMs = now.ToUnixTimeMilliseconds();
        var window = now.ToUnixTimeSeconds() - (now.ToUnixTimeSeconds() % 60);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var heartbeat = new NpgsqlBatchCommand("INSERT INTO replicas (replica, updated_unix_ms) VALUES ($1, $2) ON CONFLICT (replica) DO UPDATE SET updated_unix_ms = excluded.updated_unix_ms");
        Add(heartbeat, replicaId, nowMs);
        batch.BatchCommands.Add(heartbeat);
        if (mine.Count > 0)
        {
            var publish = new NpgsqlBatchCommand("""
                INSERT INTO rate_counters (scope, replica, window_start, requests, tokens, in_flight, updated_unix_ms)
                SELECT s, $2, w, r, t, f, $3 FROM unnest($1::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS u(s, w, r, t, f)
                ON CONFLICT (scope, replica) DO UPDATE SET window_start = excluded.window_start, requests = excluded.requests, tokens = excluded.tokens,
                    in_flight = excluded.in_flight, updated_unix_ms = excluded.updated_unix_ms
                """);
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Scope).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = replicaId });
            publish.Parameters.Add(new NpgsqlParameter { Value = nowMs });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.WindowStartUnixSeconds).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Requests).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Tokens).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.InFlight).ToArray() });
            batch.BatchCommands.Add(publish);
        }

        // Counters of replicas silent for 5 s are not counted: a crashed replica's in-flight requests are gone.
        var others = new NpgsqlBatchCommand("""
            SELECT scope, SUM(CASE WHEN window_start = $2 THEN requests ELSE 0 END)::bigint, SUM(CASE WHEN window_start = $2 THEN tokens ELSE 0 END)::bigint,
                   SUM(in_flight)::bigint
            FROM rate_counters WHERE replica <> $1 AND updated_unix_ms > $3 GROUP BY scope
            """);
        Add(others, replicaId, window, nowMs - 5000);
        batch.BatchCommands.Add(others);
        var live = new NpgsqlBatchCommand("SELECT COUNT(*) FROM replicas WHERE updated_unix_ms > $1");
        Add(live, nowMs - 5000);
        batch.BatchCommands.Add(live);

        var result = new List<RateCounter>();
        var liveReplicas = 1;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The writes return no rows, so Npgsql starts the reader on the first SELECT's result.
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new RateCounter(reader.GetString(0), window, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }

            if (await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken))
            {
                liveReplicas = (int)Math.Max(1, reader.GetInt64(0));
            }
        }

        return (result, liveReplicas);
    }
}
