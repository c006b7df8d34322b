using Switchyard.Core.Inspect.Classification;

namespace Switchyard.Tools.Training;

/// <summary>One training row: its hashed features and a target per label (NaN: no label for that output).</summary>
public sealed record TrainingExample(int[] Features, float[] Targets);

/// <summary>How <see cref="LinearTrainer"/> fits a model.</summary>
/// <param name="Softmax">One label per row (multinomial logistic regression); otherwise an independent sigmoid per label, targets in [0, 1].</param>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="LearningRate">Step size of stochastic gradient descent.</param>
/// <param name="L2">Weight decay on the rows a step touches.</param>
/// <param name="Seed">Seed of the shuffle: the same data and seed give the same bytes.</param>
public sealed record TrainingOptions(bool Softmax, int Epochs, float LearningRate, float L2, ulong Seed);

/// <summary>
/// Fits a <see cref="LinearModel"/> by averaged stochastic gradient descent on the log loss (softmax or
/// per-label sigmoid). Single-threaded and scalar on purpose: the result depends only on the data, the options
/// and the seed, so <c>switchyard train</c> reproduces the committed weight files byte for byte.
/// </summary>
public static class LinearTrainer
{
    public static LinearModel Train(string kind, int buckets, IReadOnlyList<string> labels, IReadOnlyList<TrainingExample> examples, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        var k = labels.Count;
        var w = new float[buckets * k];
        var u = new double[buckets * k];
        var b = new float[k];
        var ub = new double[k];
        var order = new int[examples.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var state = options.Seed;
        var scores = new float[k];
        var grad = new float[k];
        var zero = new float[k];
        var model = new LinearModel(kind, buckets, labels, b, w);
        double step = 1;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = (int)(SplitMix(ref state) % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }

            foreach (var index in order)
            {
                var example = examples[index];
                var features = example.Features;
                model.Score(features, scores);
                Gradient(scores, example.Targets, grad, options.Softmax);
                if (grad.AsSpan().SequenceEqual(zero))
                {
                    step++;
                    continue;
                }

                var lr = options.LearningRate;
                var scale = features.Length == 0 ? 0f : 1f / MathF.Sqrt(features.Length);
                foreach (var f in features)
                {
                    var row = f * k;
                    for (var j = 0; j < k; j++)
                    {
                        if (grad[j] == 0f)
                        {
                            continue;
                        }

                        var delta = -lr * ((grad[j] * scale) + (options.L2 * w[row + j]));
                        w[row + j] += delta;
                        u[row + j] += step * delta;
                    }
                }

                for (var j = 0; j < k; j++)
                {
                    var delta = -lr * grad[j];
                    b[j] += delta;
                    ub[j] += step * delta;
                }

                step++;
            }
        }

        // Averaged SGD: the mean of the iterates, w̄ = w − u / t.
        var averaged = new float[w.Length];
        for (var i = 0; i < w.Length; i++)
        {
            averaged[i] = (float)(w[i] - (u[i] / step));
        }

        var biases = new float[k];
        for (var j = 0; j < k; j++)
        {
            biases[j] = (float)(b[j] - (ub[j] / step));
        }

        // Round through the stored precision so that a trained model and the same model read back agree.
        for (var i = 0; i < averaged.Length; i++)
        {
            averaged[i] = (float)(Half)averaged[i];
        }

        return new LinearModel(kind, buckets, labels, biases, averaged);
    }

    private static void Gradient(float[] scores, float[] targets, float[] grad, bool softmax)
    {
        if (softmax)
        {
            LinearModel.Softmax(scores, grad);
            for (var j = 0; j < grad.Length; j++)
            {
                grad[j] -= targets[j];
            }

            return;
        }

        for (var j = 0; j < grad.Length; j++)
        {
            grad[j] = float.IsNaN(targets[j]) ? 0f : LinearModel.Sigmoid(scores[j]) - targets[j];
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
