using Switchyard.Core.Inspect.Classification;

namespace Switchyard.Tools.Training;

/// <summary>
/// One cell of <see cref="ShapeModel"/>: a logistic regression of soft targets y ∈ [0, 1] on dense features with a
/// fixed per-row offset (the heads' logit), fitted by Newton's method with a ridge penalty on the standardised
/// feature weights (not on the intercept). Double precision, a fixed number of steps, no randomness: the same rows
/// give the same weights.
/// </summary>
public static class ShapeFit
{
    private const int Steps = 12;

    /// <summary>Returns the intercept and one weight per feature, on the features' own (unstandardised) scale.</summary>
    public static float[] Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, IReadOnlyList<double> offsets, double l2)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(offsets);
        var n = x.Count;
        var d = PromptShape.Count;
        var m = d + 1;
        var mean = new double[d];
        var scale = new double[d];
        for (var k = 0; k < d; k++)
        {
            var sum = 0.0;
            for (var r = 0; r < n; r++)
            {
                sum += x[r][k];
            }

            mean[k] = n == 0 ? 0 : sum / n;
            var squares = 0.0;
            for (var r = 0; r < n; r++)
            {
                squares += (x[r][k] - mean[k]) * (x[r][k] - mean[k]);
            }

            var sd = n == 0 ? 0 : Math.Sqrt(squares / n);
            // A feature constant over the cell carries nothing: its standardised value is 0.
            scale[k] = sd < 1e-9 ? 0 : 1 / sd;
        }

        var theta = new double[m];
        var z = new double[m];
        var gradient = new double[m];
        var hessian = new double[m * m];
        for (var step = 0; step < Steps; step++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var r = 0; r < n; r++)
            {
                z[0] = 1;
                for (var k = 0; k < d; k++)
                {
                    z[1 + k] = (x[r][k] - mean[k]) * scale[k];
                }

                var eta = offsets[r];
                for (var j = 0; j < m; j++)
                {
                    eta += theta[j] * z[j];
                }

                var mu = 1 / (1 + Math.Exp(-eta));
                var weight = mu * (1 - mu);
                for (var i = 0; i < m; i++)
                {
                    gradient[i] += (mu - y[r]) * z[i];
                    for (var j = 0; j < m; j++)
                    {
                        hessian[(i * m) + j] += weight * z[i] * z[j];
                    }
                }
            }

            for (var i = 0; i < m; i++)
            {
                var penalty = i == 0 ? 1e-6 : l2;
                gradient[i] += penalty * theta[i];
                hessian[(i * m) + i] += penalty;
            }

            var delta = Solve(hessian, gradient, m);
            for (var i = 0; i < m; i++)
            {
                theta[i] -= delta[i];
            }
        }

        // Back to raw features: θ0 + Σ θk (x − mean) · scale = (θ0 − Σ θk · mean · scale) + Σ (θk · scale) x.
        var weights = new float[m];
        var intercept = theta[0];
        for (var k = 0; k < d; k++)
        {
            weights[1 + k] = (float)(theta[1 + k] * scale[k]);
            intercept -= theta[1 + k] * scale[k] * mean[k];
        }

        weights[0] = (float)intercept;
        return weights;
    }

    /// <summary>Solves a · v = b (a symmetric positive definite, m × m) by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[] a, double[] b, int m)
    {
        var matrix = (double[])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < m; r++)
            {
                if (Math.Abs(matrix[(r * m) + col]) > Math.Abs(matrix[(pivot * m) + col]))
                {
                    pivot = r;
                }
            }

            if (pivot != col)
            {
                for (var j = 0; j < m; j++)
                {
                    (matrix[(col * m) + j], matrix[(pivot * m) + j]) = (matrix[(pivot * m) + j], matrix[(col * m) + j]);
                }

                (v[col], v[pivot]) = (v[pivot], v[col]);
            }

            for (var r = col + 1; r < m; r++)
            {
                var f = matrix[(r * m) + col] / matrix[(col * m) + col];
                for (var j = col; j < m; j++)
                {
                    matrix[(r * m) + j] -= f * matrix[(col * m) + j];
                }

                v[r] -= f * v[col];
            }
        }

        for (var r = m - 1; r >= 0; r--)
        {
            var sum = v[r];
            for (var j = r + 1; j < m; j++)
            {
                sum -= matrix[(r * m) + j] * v[j];
            }

            v[r] = sum / matrix[(r * m) + r];
        }

        return v;
    }
}
