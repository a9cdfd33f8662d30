using WeatherGinr.Grains.Training;

namespace WeatherGinr.Grains.Tests.Training;

public sealed class HeldOutGridPointsTests
{
    [Fact]
    public void HoldsOutExactlyTheRequestedShareOfDistinctCells()
    {
        var heldOut = new HeldOutGridPoints(96, 192, 0.1, seed: 7);

        Assert.Equal((int)Math.Round(0.1 * 96 * 192), heldOut.Cells.Length);
        Assert.Equal(heldOut.Cells.Length, heldOut.Cells.Distinct().Count());
        Assert.All(heldOut.Cells, c => Assert.InRange(c, 0, 96 * 192 - 1));
    }

    [Fact]
    public void SameSeedSameCellsOtherSeedOtherCells()
    {
        var a = new HeldOutGridPoints(40, 80, 0.2, seed: 3);
        var b = new HeldOutGridPoints(40, 80, 0.2, seed: 3);
        var c = new HeldOutGridPoints(40, 80, 0.2, seed: 4);

        Assert.Equal(a.Cells, b.Cells);
        Assert.NotEqual(a.Cells, c.Cells);
    }

    [Fact]
    public void MaskRemovesTheHeldOutCellsAtEveryTimeAndNothingElse()
    {
        const int Lats = 5, Lons = 8, Times = 3;
        var heldOut = new HeldOutGridPoints(Lats, Lons, 0.25, seed: 1);
        var values = Enumerable.Range(0, Times * Lats * Lons).Select(i => (float)i).ToArray();

        var masked = heldOut.Mask(values);

        for (var t = 0; t < Times; t++)
        {
            for (var i = 0; i < Lats; i++)
            {
                for (var j = 0; j < Lons; j++)
                {
                    var index = (t * Lats + i) * Lons + j;
                    if (heldOut.Contains(i, j))
                    {
                        Assert.True(float.IsNaN(masked[index]));
                    }
                    else
                    {
                        Assert.Equal(values[index], masked[index]);
                    }
                }
            }
        }

        Assert.DoesNotContain(values, float.IsNaN); // the input itself is left untouched
    }

    [Fact]
    public void RefusesAFractionOfOneOrMore() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeldOutGridPoints(4, 4, 1.0, 1));
}
