using SkiaSharp;

namespace WeatherGinr.Grains.Maps;

/// <summary>One map panel: values <c>[lat, lon]</c> on an ascending latitude-longitude grid.</summary>
public sealed record MapPanel(string Title, double[] LatitudesDegrees, double[] LongitudesDegrees, float[] Values);

/// <summary>
/// Draws panels side by side in an equirectangular projection on one shared colour scale, so the
/// original, the reconstruction and the super-resolution can be compared by eye. Each pixel takes the
/// nearest grid value (no smoothing: what is drawn is what the grid holds); NaN is drawn grey.
/// </summary>
public static class FieldMapRenderer
{
    private const int PanelWidth = 480;
    private const int PanelHeight = 240;
    private const int Margin = 16;
    private const int TitleHeight = 28;
    private const int LegendHeight = 44;

    // Viridis anchors (perceptually uniform, readable in grey and by colour-blind readers).
    private static readonly SKColor[] Palette =
    [
        new(68, 1, 84), new(59, 82, 139), new(33, 145, 140), new(94, 201, 98), new(253, 231, 37),
    ];

    public static void Render(string path, string title, string units, IReadOnlyList<MapPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        var (low, high) = ColourRange(panels);

        var width = Margin + panels.Count * (PanelWidth + Margin);
        var height = TitleHeight * 2 + PanelHeight + LegendHeight + Margin;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = LoadTypeface();
        using var font = new SKFont(typeface, 15);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        canvas.DrawText(title, Margin, TitleHeight - 8, font, ink);
        for (var p = 0; p < panels.Count; p++)
        {
            var left = Margin + p * (PanelWidth + Margin);
            canvas.DrawText(panels[p].Title, left, TitleHeight * 2 - 8, font, ink);
            using var image = PanelBitmap(panels[p], low, high);
            var panelTop = TitleHeight * 2;
            canvas.DrawBitmap(image, new SKRect(left, panelTop, left + PanelWidth, panelTop + PanelHeight));
        }

        DrawLegend(canvas, font, ink, low, high, units, TitleHeight * 2 + PanelHeight + 8);

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            png.SaveTo(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The 1st to 99th percentile of all finite values, so one outlier cannot wash out a map.</summary>
    private static (float Low, float High) ColourRange(IReadOnlyList<MapPanel> panels)
    {
        var finite = panels.SelectMany(p => p.Values).Where(float.IsFinite).Order().ToArray();
        if (finite.Length == 0)
        {
            return (0, 1);
        }

        var low = finite[(int)(0.01 * (finite.Length - 1))];
        var high = finite[(int)(0.99 * (finite.Length - 1))];
        return high > low ? (low, high) : (low - 0.5f, low + 0.5f);
    }

    private static SKBitmap PanelBitmap(MapPanel panel, float low, float high)
    {
        var bitmap = new SKBitmap(PanelWidth, PanelHeight);
        var lats = panel.LatitudesDegrees;
        var lons = panel.LongitudesDegrees;
        for (var y = 0; y < PanelHeight; y++)
        {
            var latitude = 90 - (y + 0.5) * 180.0 / PanelHeight;
            var i = Nearest(lats, latitude);
            for (var x = 0; x < PanelWidth; x++)
            {
                var longitude = -180 + (x + 0.5) * 360.0 / PanelWidth;
                var j = NearestLongitude(lons, longitude);
                var value = panel.Values[i * lons.Length + j];
                var colour = float.IsFinite(value) ? Colour((value - low) / (high - low)) : SKColors.LightGray;
                bitmap.SetPixel(x, y, colour);
            }
        }

        return bitmap;
    }

    private static int Nearest(double[] ascending, double value)
    {
        var index = Array.BinarySearch(ascending, value);
        if (index >= 0)
        {
            return index;
        }

        index = ~index;
        if (index == 0)
        {
            return 0;
        }

        if (index == ascending.Length)
        {
            return ascending.Length - 1;
        }

        return value - ascending[index - 1] <= ascending[index] - value ? index - 1 : index;
    }

    /// <summary>Nearest longitude, comparing across the dateline (179.9 is next to -179.9).</summary>
    private static int NearestLongitude(double[] longitudes, double value)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        var guess = Nearest(longitudes, value);
        foreach (var candidate in new[] { guess - 1, guess, guess + 1, 0, longitudes.Length - 1 })
        {
            if (candidate < 0 || candidate >= longitudes.Length)
            {
                continue;
            }

            var distance = Math.Abs(longitudes[candidate] - value) % 360;
            distance = Math.Min(distance, 360 - distance);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    private static SKColor Colour(double fraction)
    {
        var x = Math.Clamp(fraction, 0, 1) * (Palette.Length - 1);
        var k = Math.Min((int)x, Palette.Length - 2);
        var f = x - k;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + (b - a) * f);
        return new SKColor(Mix(Palette[k].Red, Palette[k + 1].Red), Mix(Palette[k].Green, Palette[k + 1].Green),
            Mix(Palette[k].Blue, Palette[k + 1].Blue));
    }

    private static void DrawLegend(SKCanvas canvas, SKFont font, SKPaint ink, float low, float high, string units,
        float top)
    {
        const int BarWidth = 360;
        for (var x = 0; x < BarWidth; x++)
        {
            using var paint = new SKPaint { Color = Colour(x / (BarWidth - 1.0)) };
            canvas.DrawRect(Margin + x, top, 1, 12, paint);
        }

        var label = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{low:G4} .. {high:G4} {units} (1st-99th percentile; grey: missing)");
        canvas.DrawText(label, Margin, top + 30, font, ink);
    }

    private static SKTypeface LoadTypeface()
    {
        const string DejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        return (File.Exists(DejaVu) ? SKTypeface.FromFile(DejaVu) : null) ?? SKTypeface.Default;
    }
}
