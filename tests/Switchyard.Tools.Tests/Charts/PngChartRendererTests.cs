using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Tools.Charts;
using Xunit;

namespace Switchyard.Tools.Tests.Charts;

public sealed class PngChartRendererTests
{
    // The plan of the Core chart tests (ChartTests): $1,460/month per replica, 43.2M tokens/day each; API at $10/M.
    private static PlanResult Plan()
    {
        var self = new SelfHostedOption("H100 SXM 80GB", 1, 2m, 1000m, 0.5m, 1, 0m, 0m, "test", null, "test");
        var apis = new[]
        {
            new ApiOption("gpt", ApiKind.Api, 10m, 10m, null, "test", null),
            new ApiOption("cheap", ApiKind.HostedOpen, 0.5m, 0.5m, null, "test", null),
        };
        return PlanCalculator.Calculate(new PlanInputs(new Workload(10_000_000m, 1m, 1m, 0m, LatencyNeed.Batch, "test"), apis, self));
    }

    [Fact]
    public void PngRender_ValidChunksWithCrcAndEmbeddedSeriesData()
    {
        var chart = ChartBuilder.Build(Plan());
        var png = PngChartRenderer.Render(chart);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = ReadChunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        var width = BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data);
        var height = BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4));
        Assert.True(width > 0 && height > 0);

        // Pixel data decompresses to one filter byte + 3 bytes per pixel per row, and is not blank.
        var idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        Assert.Equal(height * (1 + (3 * width)), raw.Length);
        Assert.Contains(raw, b => b != 0xff && b != 0);

        var text = Encoding.Latin1.GetString(chunks.Single(c => c.Type == "tEXt").Data);
        Assert.StartsWith(PngChartRenderer.DataKeyword + "\0", text, StringComparison.Ordinal);
        var series = text.Split('\n').Where(l => l.StartsWith("series=", StringComparison.Ordinal)).Select(l => l["series=".Length..].Split('|')).ToList();
        Assert.Equal(chart.Series.Select(s => s.Name), series.Select(s => s[0]));
        Assert.Equal(chart.Series[2].Points, ParsePoints(series[2][2]));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("marker=gpt|", StringComparison.Ordinal));
    }

    [Fact]
    public void Crc32_OfCheckString_Is0xCBF43926()
    {
        // The standard CRC-32 check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png[(offset + 8)..(offset + 8 + length)];
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(Crc32.Compute(png.AsSpan(offset + 4, 4 + length)), crc);
            chunks.Add((type, data));
            offset += 12 + length;
        }

        return chunks;
    }

    private static List<ChartPoint> ParsePoints(string text) =>
        [.. text.Split(' ').Select(p => p.Split(',')).Select(p => new ChartPoint(
            double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];
}
