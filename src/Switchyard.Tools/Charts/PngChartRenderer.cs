using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;

namespace Switchyard.Tools.Charts;

/// <summary>
/// Rasterises a <see cref="ChartModel"/> with the same geometry as <see cref="SvgChartRenderer"/> and encodes it
/// as an 8-bit RGB PNG (zlib via <see cref="ZLibStream"/>, CRC-32 computed here; no image library). The series
/// data is embedded in a <c>tEXt</c> chunk with keyword <see cref="DataKeyword"/>: one line per series
/// (<c>series=name|kind|x,y x,y …</c>) and per marker (<c>marker=series|x,y</c>).
/// </summary>
public static class PngChartRenderer
{
    /// <summary>Keyword of the <c>tEXt</c> chunk holding the chart's data.</summary>
    public const string DataKeyword = "switchyard-chart";

    private static readonly byte[] _signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Renders the chart as PNG bytes.</summary>
    public static byte[] Render(ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layout = new ChartLayout(model);
        var canvas = new Canvas(ChartLayout.Width, ChartLayout.Height);
        Draw(canvas, layout);
        return Encode(canvas, DataText(model));
    }

    /// <summary>The text stored in the PNG's data chunk.</summary>
    public static string DataText(ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = new StringBuilder();
        sb.Append("title=").Append(model.Title).Append('\n');
        sb.Append("x_max=").Append(model.XMax.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("y_max=").Append(model.YMax.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var s in model.Series)
        {
            sb.Append("series=").Append(s.Name).Append('|').Append(s.Kind).Append('|').Append(ChartLayout.PointsText(s.Points)).Append('\n');
        }

        foreach (var m in model.Markers)
        {
            sb.Append("marker=").Append(m.Series).Append('|').Append(ChartLayout.PointsText([m.At])).Append('\n');
        }

        return sb.ToString();
    }

    private static void Draw(Canvas canvas, ChartLayout layout)
    {
        var model = layout.Model;
        var grid = ((byte)0xe6, (byte)0xe6, (byte)0xe6);
        var ink = ((byte)0x33, (byte)0x33, (byte)0x33);
        var bottom = ChartLayout.Top + ChartLayout.PlotHeight;
        var right = ChartLayout.Left + ChartLayout.PlotWidth;
        canvas.Text(ChartLayout.Width / 2, 16, model.Title, ink, 2, centre: true);

        foreach (var x in layout.XTicks())
        {
            var px = (int)Math.Round(layout.Px(x));
            canvas.Line(px, ChartLayout.Top, px, bottom, grid, 1);
            canvas.Text(px, bottom + 8, ChartLayout.Short(x), ink, 1, centre: true);
        }

        foreach (var y in layout.YTicks())
        {
            var py = (int)Math.Round(layout.Py(y));
            canvas.Line(ChartLayout.Left, py, right, py, grid, 1);
            var label = "$" + ChartLayout.Short(y);
            canvas.Text(ChartLayout.Left - 8 - (label.Length * 6), py - 3, label, ink, 1, centre: false);
        }

        canvas.Line(ChartLayout.Left, bottom, right, bottom, ink, 1);
        canvas.Line(ChartLayout.Left, ChartLayout.Top, ChartLayout.Left, bottom, ink, 1);
        canvas.Text(ChartLayout.Left + (ChartLayout.PlotWidth / 2), ChartLayout.Height - 24, model.XLabel, ink, 1, centre: true);
        canvas.Text(8, ChartLayout.Top - 16, model.YLabel, ink, 1, centre: false);

        if (model.PlannedTokensPerDay > 0 && model.PlannedTokensPerDay <= layout.XTop)
        {
            var vx = (int)Math.Round(layout.Px(model.PlannedTokensPerDay));
            for (var y = ChartLayout.Top; y < bottom; y += 10)
            {
                canvas.Line(vx, y, vx, Math.Min(y + 5, bottom), ((byte)0x55, (byte)0x55, (byte)0x55), 1);
            }

            canvas.Text(vx, ChartLayout.Top - 10, "planned", ink, 1, centre: true);
        }

        for (var i = 0; i < model.Series.Count; i++)
        {
            var s = model.Series[i];
            var colour = ChartLayout.Colour(s, i);
            for (var p = 1; p < s.Points.Count; p++)
            {
                canvas.Line(
                    (int)Math.Round(layout.Px(s.Points[p - 1].X)), (int)Math.Round(layout.Py(s.Points[p - 1].Y)),
                    (int)Math.Round(layout.Px(s.Points[p].X)), (int)Math.Round(layout.Py(s.Points[p].Y)),
                    colour, 2);
            }

            var ly = ChartLayout.Top + 10 + (i * 20);
            var lx = right + 16;
            canvas.Line(lx, ly, lx + 24, ly, colour, 3);
            canvas.Text(ChartLayout.LegendTextX, ly - 3, ChartLayout.LegendText(s), ink, 1, centre: false);
        }

        var red = ((byte)0xd6, (byte)0x27, (byte)0x28);
        var labels = ChartLabels.Place(layout);
        for (var i = 0; i < model.Markers.Count; i++)
        {
            var m = model.Markers[i];
            var cx = (int)Math.Round(layout.Px(m.At.X));
            var cy = (int)Math.Round(layout.Py(m.At.Y));
            canvas.Disc(cx, cy, 5, red);
            var label = labels[i];
            if (label.NeedsLeader)
            {
                var (ex, ey) = label.NearestPoint();
                canvas.Line(cx, cy, (int)Math.Round(ex), (int)Math.Round(ey), red, 1);
            }

            canvas.Text((int)Math.Round(label.X), (int)Math.Round(label.Y) + 4, label.Text, red, 1, centre: false);
        }
    }

    private static byte[] Encode(Canvas canvas, string dataText)
    {
        using var png = new MemoryStream();
        png.Write(_signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), canvas.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(png, "IHDR", header);

        WriteChunk(png, "tEXt", Encoding.Latin1.GetBytes(DataKeyword + "\0" + dataText));

        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                var stride = canvas.Width * 3;
                for (var y = 0; y < canvas.Height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(canvas.Pixels, y * stride, stride);
                }
            }

            WriteChunk(png, "IDAT", raw.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>An RGB raster with the few primitives the chart needs.</summary>
    private sealed class Canvas
    {
        public Canvas(int width, int height)
        {
            Width = width;
            Height = height;
            Pixels = new byte[width * height * 3];
            Array.Fill(Pixels, (byte)0xff);
        }

        public int Width { get; }

        public int Height { get; }

        public byte[] Pixels { get; }

        public void Set(int x, int y, (byte R, byte G, byte B) c)
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            {
                return;
            }

            var i = ((y * Width) + x) * 3;
            Pixels[i] = c.R;
            Pixels[i + 1] = c.G;
            Pixels[i + 2] = c.B;
        }

        public void Line(int x0, int y0, int x1, int y1, (byte R, byte G, byte B) c, int thickness)
        {
            // Bresenham; thickness by stamping a small square at each step.
            var dx = Math.Abs(x1 - x0);
            var dy = -Math.Abs(y1 - y0);
            var sx = x0 < x1 ? 1 : -1;
            var sy = y0 < y1 ? 1 : -1;
            var err = dx + dy;
            var half = (thickness - 1) / 2;
            while (true)
            {
                for (var ox = -half; ox < thickness - half; ox++)
                {
                    for (var oy = -half; oy < thickness - half; oy++)
                    {
                        Set(x0 + ox, y0 + oy, c);
                    }
                }

                if (x0 == x1 && y0 == y1)
                {
                    break;
                }

                var e2 = 2 * err;
                if (e2 >= dy)
                {
                    err += dy;
                    x0 += sx;
                }

                if (e2 <= dx)
                {
                    err += dx;
                    y0 += sy;
                }
            }
        }

        public void Disc(int cx, int cy, int r, (byte R, byte G, byte B) c)
        {
            for (var y = -r; y <= r; y++)
            {
                for (var x = -r; x <= r; x++)
                {
                    if ((x * x) + (y * y) <= r * r)
                    {
                        Set(cx + x, cy + y, c);
                    }
                }
            }
        }

        public void Text(int x, int y, string text, (byte R, byte G, byte B) c, int scale, bool centre)
        {
            var advance = 6 * scale;
            if (centre)
            {
                x -= text.Length * advance / 2;
            }

            foreach (var ch in text)
            {
                var glyph = Font5x7.Glyph(ch);
                for (var row = 0; row < 7; row++)
                {
                    for (var col = 0; col < 5; col++)
                    {
                        if ((glyph[row] & (0x10 >> col)) == 0)
                        {
                            continue;
                        }

                        for (var sy = 0; sy < scale; sy++)
                        {
                            for (var sx = 0; sx < scale; sx++)
                            {
                                Set(x + (col * scale) + sx, y + (row * scale) + sy, c);
                            }
                        }
                    }
                }

                x += advance;
            }
        }
    }
}

/// <summary>CRC-32 (ISO-HDLC, as PNG uses), table-driven.</summary>
internal static class Crc32
{
    private static readonly uint[] _table = BuildTable();

    /// <summary>Feeds bytes into a running CRC (start with 0xFFFFFFFF, finish by xor with 0xFFFFFFFF).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = _table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>The CRC-32 of a buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

/// <summary>A 5×7 bitmap font for chart labels: digits, letters (lower case drawn as capitals) and a few signs.</summary>
internal static class Font5x7
{
    private static readonly byte[] _unknown = [0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04];

    private static readonly Dictionary<char, byte[]> _glyphs = new()
    {
        [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['0'] = [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        ['1'] = [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['2'] = [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        ['3'] = [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        ['4'] = [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        ['5'] = [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        ['6'] = [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        ['7'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        ['8'] = [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        ['9'] = [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ['A'] = [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        ['B'] = [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        ['C'] = [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        ['D'] = [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        ['E'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        ['F'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        ['G'] = [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        ['H'] = [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        ['I'] = [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['J'] = [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        ['K'] = [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        ['L'] = [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        ['M'] = [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        ['N'] = [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        ['O'] = [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        ['P'] = [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        ['Q'] = [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        ['R'] = [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        ['S'] = [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        ['T'] = [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        ['U'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        ['V'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        ['W'] = [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        ['X'] = [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        ['Y'] = [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        ['Z'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        ['$'] = [0x04, 0x0F, 0x14, 0x0E, 0x05, 0x1E, 0x04],
        ['.'] = [0, 0, 0, 0, 0, 0x0C, 0x0C],
        [','] = [0, 0, 0, 0, 0x0C, 0x04, 0x08],
        ['/'] = [0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10],
        ['-'] = [0, 0, 0, 0x1F, 0, 0, 0],
        ['_'] = [0, 0, 0, 0, 0, 0, 0x1F],
        ['('] = [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        [')'] = [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        [':'] = [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0],
        ['*'] = [0, 0x04, 0x15, 0x0E, 0x15, 0x04, 0],
    };

    public static byte[] Glyph(char c) =>
        _glyphs.TryGetValue(char.ToUpperInvariant(c), out var glyph) ? glyph : _unknown;
}
