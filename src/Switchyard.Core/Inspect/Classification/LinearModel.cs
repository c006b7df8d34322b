using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// A linear model over hashed features with one output per label: <c>score[k] = bias[k] + scale · Σ w[f, k]</c>
/// with <c>scale = 1/√(feature count)</c>. The task classifier reads the scores through a softmax, the quality
/// model each through a sigmoid. Weights are stored as half-precision floats (<see cref="Write"/>), row-major by
/// bucket so that one feature touches one contiguous row.
/// </summary>
public sealed class LinearModel
{
    private static ReadOnlySpan<byte> Magic => "SYLM"u8;
    private const int FormatVersion = 1;

    public LinearModel(string kind, int buckets, IReadOnlyList<string> labels, float[] biases, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(biases);
        ArgumentNullException.ThrowIfNull(weights);
        if (biases.Length != labels.Count || weights.Length != buckets * labels.Count)
        {
            throw new ArgumentException("weights do not match buckets × labels");
        }

        Kind = kind;
        Buckets = buckets;
        Labels = labels;
        Biases = biases;
        Weights = weights;
    }

    /// <summary>What the model is (<c>task-classifier</c>, <c>quality</c>).</summary>
    public string Kind { get; }

    public int Buckets { get; }

    public IReadOnlyList<string> Labels { get; }

    public float[] Biases { get; }

    /// <summary>Row-major: <c>Weights[bucket * Labels.Count + label]</c>.</summary>
    public float[] Weights { get; }

    /// <summary>The logistic function: a score read as a probability (the quality model, one per label).</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>Softmax of <paramref name="scores"/> into <paramref name="output"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> scores, Span<float> output)
    {
        var max = float.NegativeInfinity;
        foreach (var s in scores)
        {
            max = MathF.Max(max, s);
        }

        var sum = 0f;
        for (var j = 0; j < scores.Length; j++)
        {
            output[j] = MathF.Exp(scores[j] - max);
            sum += output[j];
        }

        for (var j = 0; j < scores.Length; j++)
        {
            output[j] /= sum;
        }
    }

    /// <summary>Raw scores (logits) for the given features.</summary>
    public void Score(ReadOnlySpan<int> features, Span<float> scores)
    {
        var k = Labels.Count;
        scores = scores[..k];
        scores.Clear();
        var weights = Weights.AsSpan();
        var width = Vector<float>.Count;
        var vectors = k / width;
        var rest = vectors * width;
        foreach (var f in features)
        {
            var row = weights.Slice(f * k, k);
            for (var v = 0; v < vectors; v++)
            {
                var at = v * width;
                (new Vector<float>(scores[at..]) + new Vector<float>(row[at..])).CopyTo(scores[at..]);
            }

            for (var j = rest; j < row.Length; j++)
            {
                scores[j] += row[j];
            }
        }

        var scale = features.Length == 0 ? 0f : 1f / MathF.Sqrt(features.Length);
        for (var j = 0; j < k; j++)
        {
            scores[j] = Biases[j] + (scale * scores[j]);
        }
    }

    /// <summary>Writes the model: magic, version, feature version, kind, buckets, labels, float32 biases, float16 weights.</summary>
    public byte[] Write()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            ModelFile.WriteHeader(w, Magic, FormatVersion);
            w.Write(Kind);
            w.Write(Buckets);
            ModelFile.WriteNames(w, Labels);

            foreach (var b in Biases)
            {
                w.Write(b);
            }

            Span<byte> half = stackalloc byte[2];
            foreach (var x in Weights)
            {
                BinaryPrimitives.WriteHalfLittleEndian(half, (Half)x);
                w.Write(half);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static LinearModel Read(Stream stream)
    {
        using var r = ModelFile.ReadHeader(stream, Magic, FormatVersion, "linear model");

        var kind = r.ReadString();
        var buckets = r.ReadInt32();
        var labels = ModelFile.ReadNames(r, "linear model");
        var count = labels.Length;

        var biases = new float[count];
        for (var i = 0; i < count; i++)
        {
            biases[i] = r.ReadSingle();
        }

        var bytes = r.ReadBytes(buckets * count * 2);
        if (bytes.Length != buckets * count * 2)
        {
            throw new InvalidDataException("model file is truncated");
        }

        var weights = new float[buckets * count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2, 2));
        }

        return new LinearModel(kind, buckets, labels, biases, weights);
    }
}
