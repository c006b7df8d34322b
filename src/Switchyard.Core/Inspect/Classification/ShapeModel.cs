using System.Text;

namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// The prompt-shape stage of expected quality (<c>quality-shape.bin</c>): for every (prompt form, quality profile) —
/// the forms are <see cref="PromptShape.Forms"/>, multiple-choice or open — an intercept and one weight per
/// <see cref="PromptShape"/> feature, added to that profile's quality logit before the sigmoid. (Cells by task
/// category did worse on the dev folds: the classifier files word problems under qa, creative and math alike, next
/// to multiple-choice questions whose difficulty reads differently; docs/routing.md.) Trained by <c>switchyard train</c> as a residual on top of the hashed heads (on their out-of-fold
/// logits, so it learns what the heads miss rather than what they memorised). A cell with too few dev rows to fit
/// has all zeros and adds nothing.
/// </summary>
public sealed class ShapeModel
{
    private static ReadOnlySpan<byte> Magic => "SYSH"u8;
    private const int FormatVersion = 1;
    private const string What = "shape model";

    /// <summary>Per cell: the intercept, then one weight per feature.</summary>
    public const int Stride = PromptShape.Count + 1;

    public ShapeModel(IReadOnlyList<string> forms, IReadOnlyList<string> profiles, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(forms);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != forms.Count * profiles.Count * Stride)
        {
            throw new ArgumentException("weights do not match forms × profiles × (1 + shape features)");
        }

        Forms = forms;
        Profiles = profiles;
        Weights = weights;
    }

    /// <summary>Prompt forms, in <see cref="PromptShape.Forms"/> order.</summary>
    public IReadOnlyList<string> Forms { get; }

    /// <summary>Quality profiles, in the quality model's output order.</summary>
    public IReadOnlyList<string> Profiles { get; }

    /// <summary>Row-major <c>[(form × profiles + profile) × Stride + k]</c>, k = 0 the intercept.</summary>
    public float[] Weights { get; }

    /// <summary>The term added to <paramref name="profile"/>'s quality logit for a prompt of this form and shape.</summary>
    public float Logit(int form, int profile, ReadOnlySpan<float> shape)
    {
        var cell = Weights.AsSpan(((form * Profiles.Count) + profile) * Stride, Stride);
        var sum = cell[0];
        for (var k = 0; k < PromptShape.Count; k++)
        {
            sum += cell[1 + k] * shape[k];
        }

        return sum;
    }

    /// <summary>Writes the model: magic, version, feature version, the shape feature names, forms, profiles, float32 weights.</summary>
    public byte[] Write()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            ModelFile.WriteHeader(w, Magic, FormatVersion);
            foreach (var names in (IReadOnlyList<string>[])[PromptShape.Names, Forms, Profiles])
            {
                ModelFile.WriteNames(w, names);
            }

            foreach (var x in Weights)
            {
                w.Write(x);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> on anything else or on another feature set.</summary>
    public static ShapeModel Read(Stream stream)
    {
        using var r = ModelFile.ReadHeader(stream, Magic, FormatVersion, What);
        var features = ModelFile.ReadNames(r, What);
        if (!features.SequenceEqual(PromptShape.Names, StringComparer.Ordinal))
        {
            throw new InvalidDataException($"shape model trained on the features {string.Join(", ", features)}, this build extracts {string.Join(", ", PromptShape.Names)}: retrain with `switchyard train`");
        }

        var forms = ModelFile.ReadNames(r, What);
        var profiles = ModelFile.ReadNames(r, What);
        var weights = new float[forms.Length * profiles.Length * Stride];
        var bytes = r.ReadBytes(weights.Length * sizeof(float));
        if (bytes.Length != weights.Length * sizeof(float))
        {
            throw new InvalidDataException("shape model file is truncated");
        }

        Buffer.BlockCopy(bytes, 0, weights, 0, bytes.Length);
        return new ShapeModel(forms, profiles, weights);
    }
}
