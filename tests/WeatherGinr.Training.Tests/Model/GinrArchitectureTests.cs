namespace WeatherGinr.Training.Tests;

public sealed class GinrArchitectureTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(8, 4)]
    public void Skip_enters_before_layer_ceil_half(int layers, int expected) =>
        Assert.Equal(expected, new GinrArchitecture(10, 1, 1, Layers: layers).SkipLayerIndex);

    [Fact]
    public void Layer_shapes_and_parameter_count_match_a_hand_count()
    {
        var architecture = new GinrArchitecture(100, 1, 3, Layers: 6, Width: 256);

        Assert.Equal((101, 256), architecture.LayerShape(0));
        Assert.Equal((256, 256), architecture.LayerShape(2));
        Assert.Equal((256 + 101, 256), architecture.LayerShape(3));
        Assert.Equal((256, 3), architecture.LayerShape(5));

        // 101*256+256 + 3 * (256*256+256) + 357*256+256 + 256*3+3
        Assert.Equal(26_112 + (3 * 65_792) + 91_648 + 771, architecture.ParameterCount);
    }

    [Fact]
    public void Invalid_settings_name_themselves()
    {
        var error = Assert.Throws<ArgumentException>(() => new GinrArchitecture(10, 1, 1, Layers: 1).Validate());
        Assert.Contains("Layers is 1", error.Message, StringComparison.Ordinal);
    }
}
