using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Storage.Sqlite;

// Console render times on a large ledger (bench/README.md): seeds N ledger rows (default 1,000,000, over 30 days,
// through the store's own AppendAsync, so the aggregates are written as the gateway writes them), starts the Release
// gateway on that data directory, signs in, and times server-rendered pages and API reads (p50 / max of --runs).
// Usage: bench/console.sh, or dotnet run -c Release --project bench/Switchyard.Bench.Console -- --gateway PATH [--rows N] [--runs N]
var rows = 1_000_000;
var runs = 10;
string? gateway = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--rows": rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--gateway": gateway = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (gateway is null || !File.Exists(gateway))
{
    Console.Error.WriteLine("--gateway PATH/switchyard.dll (the Release build) is required");
    return 2;
}

var directory = Directory.CreateTempSubdirectory("switchyard-bench-console-");
var dataDir = Path.Combine(directory.FullName, "data");
try
{
    var now = DateTimeOffset.UtcNow;
    var seed = Stopwatch.StartNew();
    using (var store = new SqliteLedgerStore(SqliteLedgerStore.PathIn(dataDir)))
    {
        await store.InitializeAsync(default);
        const int Batch = 4096;
        var batch = new List<LedgerRecord>(Batch);
        for (var i = 0; i < rows; i++)
        {
            batch.Add(Record(i, rows, now));
            if (batch.Count == Batch || i == rows - 1)
            {
                await store.AppendAsync(batch, default);
                batch.Clear();
            }
        }
    }

    SqliteConnection.ClearAllPools();
    var file = new FileInfo(SqliteLedgerStore.PathIn(dataDir));
    Console.WriteLine($"seeded {rows:N0} ledger rows over 30 days in {seed.Elapsed.TotalSeconds:0.0} s ({file.Length / 1048576.0:0} MB)");

    var config = Path.Combine(directory.FullName, "switchyard.yaml");
    await File.WriteAllTextAsync(config, """
        server:
          admin_key_env: SWITCHYARD_ADMIN_KEY
        providers:
          local-sim: { type: simulated, zone: self-hosted }
        deployments:
          - { id: sim-small, provider: local-sim, model: llama-3.1-8b }
          - { id: sim-large, provider: local-sim, model: llama-3.3-70b }
        models:
          llama-3.1-8b: { catalog: deepinfra/meta-llama-3.1-8b-instruct, capabilities: [streaming], open_weights: true }
          llama-3.3-70b: { catalog: deepinfra/llama-3.3-70b-instruct, capabilities: [streaming], open_weights: true }
        aliases:
          auto: { targets: [ { model: llama-3.1-8b, weight: 1 }, { model: llama-3.3-70b, weight: 1 } ] }
        keys:
          - { name: local-dev, key: sk-bench-local, team: platform }
        """);
    var port = FreePort();
    var start = new ProcessStartInfo("dotnet", [gateway, "serve", "--config", config, "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{port}"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    start.Environment["SWITCHYARD_ADMIN_KEY"] = "sk-bench-admin";
    using var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var ready = await client.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (attempt < 600)
            {
            }

            await Task.Delay(100);
        }

        using (var account = new HttpRequestMessage(HttpMethod.Post, "/admin/api/v1/accounts"))
        {
            account.Headers.Authorization = new("Bearer", "sk-bench-admin");
            account.Content = new StringContent("""{"name":"bench","role":"admin","password":"bench-password-123"}""", Encoding.UTF8, "application/json");
            (await client.SendAsync(account)).EnsureSuccessStatusCode();
        }

        (await client.PostAsync("/ui/session", new FormUrlEncodedContent([new("name", "bench"), new("password", "bench-password-123"), new("return", "/ui")]))).EnsureSuccessStatusCode();
        Console.WriteLine();
        Console.WriteLine($"| What ({rows:N0} ledger rows, SQLite) | p50 ms | max ms | bytes |");
        Console.WriteLine("|---|---|---|---|");
        string[] paths =
        [
            "/ui?range=24h", "/ui?range=7d", "/ui?range=30d", "/ui/requests?range=30d", "/ui/requests?range=30d&team=team-3&outcome=upstream_error",
            "/ui/requests?range=30d&model=llama-3.3-70b&min_cost=0.0001", "/ui/routing?range=30d", "/ui/savings?range=30d", "/ui/privacy?range=30d",
            "/ui/spend?range=30d", "/ui/providers?range=30d", "/admin/api/v1/overview?range=30d", "/admin/api/v1/requests?range=30d",
        ];
        foreach (var path in paths)
        {
            var times = new List<double>();
            long bytes = 0;
            for (var r = 0; r < runs + 1; r++)
            {
                var sw = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                sw.Stop();
                response.EnsureSuccessStatusCode();
                bytes = body.Length;
                if (r > 0)
                {
                    // The first run warms the JIT and the page cache; it is not counted.
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `GET {path}` | {times[times.Count / 2]:0.0} | {times[^1]:0.0} | {bytes:N0} |"));
        }
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

return 0;

// Spread over 30 days: 6 teams, 24 keys (each mostly one model, task and data class, as applications are), 2 aliases,
// 4 served models, every outcome, some streams, fallbacks, PII: about 200 aggregate rows per hour.
static LedgerRecord Record(int i, int rows, DateTimeOffset now)
{
    var at = now.AddMilliseconds(-(long)((double)(rows - i) / rows * TimeSpan.FromDays(30).TotalMilliseconds));
    var key = i % 24;
    var outcome = (i % 37) switch { 0 => LedgerOutcome.UpstreamFailed, 1 => LedgerOutcome.Rejected, 2 => LedgerOutcome.ClientDisconnected, _ => LedgerOutcome.Success };
    var model = (key % 4) switch { 0 => "llama-3.1-8b", 1 => "llama-3.3-70b", 2 => "gpt-4o-mini", _ => "gpt-4o" };
    var served = outcome == LedgerOutcome.Rejected ? null : model;
    var usage = new Usage(200 + (i % 900), 20 + (i % 300), i % 5 == 0 ? 64 : 0);
    return new LedgerRecord
    {
        RequestId = $"req_bench_{i:D9}",
        Timestamp = at,
        KeyName = $"key-{key}",
        KeyId = $"{key:x12}",
        Team = $"team-{key % 6}",
        Org = "acme",
        ClientFormat = i % 3 == 0 ? ApiFormat.Anthropic : ApiFormat.OpenAI,
        Operation = Operation.ChatCompletion,
        RequestedModel = key % 2 == 0 ? "auto" : model,
        ServedModel = served,
        DeploymentId = served is null ? null : "dep-" + served,
        Provider = served is null ? null : "bench",
        Outcome = outcome,
        HttpStatus = outcome switch { LedgerOutcome.Success => 200, LedgerOutcome.Rejected => 429, LedgerOutcome.ClientDisconnected => 499, _ => 502 },
        ErrorClass = outcome == LedgerOutcome.Rejected ? "budget_exceeded" : null,
        Usage = usage,
        CostUsd = usage.InputTokens * 0.0000001m + usage.OutputTokens * 0.0000004m,
        BaselineCostUsd = usage.InputTokens * 0.0000025m + usage.OutputTokens * 0.00001m,
        BaselineModel = "gpt-4o",
        TotalMs = 40 + (i * 7919 % 4000),
        UpstreamMs = 35 + (i * 7919 % 3900),
        OverheadMs = 0.2,
        Streamed = i % 3 == 1,
        DataClass = (key % 8) switch { 0 => "confidential", 1 => "restricted", _ => "internal" },
        TrustZone = served is null ? null : model.StartsWith("llama", StringComparison.Ordinal) ? "self-hosted" : "external",
        RouteObjective = key % 2 == 0 ? "cheapest-qualifying" : "weighted",
        TaskCategory = (key % 3) switch { 0 => "code", 1 => "math", _ => "chat" },
        PiiTypes = key % 8 == 1 ? "EMAIL" : null,
        Attempts = served is null ? [] : i % 17 == 0
            ? [new AttemptRecord("dep-other", "UpstreamError", 500, 12), new AttemptRecord("dep-" + served, "Success", 200, 30 + (i % 400))]
            : [new AttemptRecord("dep-" + served, "Success", 200, 30 + (i % 400))],
    };
}

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}
