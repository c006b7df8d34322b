using Switchyard.Core.Inspect.Classification;
using Switchyard.Tools.Training;
using Xunit;

namespace Switchyard.Tools.Tests.Training;

public sealed class ShapeFitTests
{
    [Fact]
    public void ShapeFit_RecoversAnEffectAndIsDeterministic()
    {
        // Rows whose first feature is high are right less often; the offset already carries the base rate.
        var x = new List<float[]>();
        var y = new List<double>();
        var offsets = new List<double>();
        for (var i = 0; i < 400; i++)
        {
            var row = new float[PromptShape.Count];
            row[0] = i % 10;
            row[5] = i % 3 == 0 ? 1 : 0; // no effect on the target
            x.Add(row);
            y.Add(i % 10 < 5 ? (i % 7 == 0 ? 0 : 1) : (i % 7 == 0 ? 1 : 0));
            offsets.Add(0.2);
        }

        var first = ShapeFit.Fit(x, y, offsets, l2: 10);
        var second = ShapeFit.Fit(x, y, offsets, l2: 10);

        Assert.Equal(first, second);
        Assert.True(first[1] < -0.3f, $"weight of the first feature {first[1]}");
        Assert.True(Math.Abs(first[6]) < 0.2f, $"weight of the unrelated flag {first[6]}");
        // Features constant over the rows get no weight.
        Assert.Equal(0f, first[3]);
    }
}
