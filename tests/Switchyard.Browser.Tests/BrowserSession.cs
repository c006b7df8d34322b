using Microsoft.Playwright;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Browser.Tests;

/// <summary>
/// Debian's chromium driven by Playwright for .NET (its own browser download cannot work here), headless with the flags
/// this machine needs, against a <see cref="ConsoleGateway"/> that has served real traffic, signed in as an admin.
/// Screenshots go to <c>artifacts/screenshots/</c> at the repository root.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Account = "ops";
    public const string Password = "correct horse battery";

    private IPlaywright? _playwright;

    public ConsoleGateway Gateway { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IBrowserContext Context { get; private set; } = null!;

    public static string ScreenshotDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                dir = dir.Parent;
            }

            var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async ValueTask InitializeAsync()
    {
        // The browser tests must run, not skip: CI installs chromium (.ci/run); a missing one is a failure with the fix named.
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does");
        Gateway = await ConsoleGateway.StartAsync();
        using (var admin = Gateway.AdminClient())
        {
            using var created = await admin.PostAsync("/admin/api/v1/accounts", new StringContent(
                $$"""{"name":"{{Account}}","role":"admin","password":"{{Password}}"}""", System.Text.Encoding.UTF8, "application/json"));
            created.EnsureSuccessStatusCode();
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = 60_000,
        });
        Context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Gateway.App.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1400, Height = 1000 } });
        Context.SetDefaultTimeout(30_000);
        var page = await Context.NewPageAsync();
        await page.GotoAsync("/ui");
        Assert.Contains("/ui/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#name", Account);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.EndsWith("/ui", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
    }
}
