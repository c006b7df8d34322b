using System.Text;

namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// The header every weight file of the task models starts with: a four-byte magic naming the kind of file, its
/// format version, and the <see cref="TextFeatures.Version"/> the weights were trained with (a build that extracts
/// other features refuses them rather than misreading them).
/// </summary>
internal static class ModelFile
{
    public static void WriteHeader(BinaryWriter writer, ReadOnlySpan<byte> magic, int formatVersion)
    {
        writer.Write(magic);
        writer.Write(formatVersion);
        writer.Write(TextFeatures.Version);
    }

    /// <summary>Reads and checks the header; throws <see cref="InvalidDataException"/> naming <paramref name="what"/> on anything else.</summary>
    public static BinaryReader ReadHeader(Stream stream, ReadOnlySpan<byte> magic, int formatVersion, string what)
    {
        var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual(magic) || reader.ReadInt32() != formatVersion)
        {
            reader.Dispose();
            throw new InvalidDataException($"not a Switchyard {what} file");
        }

        var featureVersion = reader.ReadInt32();
        if (featureVersion != TextFeatures.Version)
        {
            reader.Dispose();
            throw new InvalidDataException($"{what} trained with feature version {featureVersion}, this build extracts version {TextFeatures.Version}: retrain with `switchyard train`");
        }

        return reader;
    }

    /// <summary>A list of names: its count, then each as a length-prefixed string.</summary>
    public static void WriteNames(BinaryWriter writer, IReadOnlyList<string> names)
    {
        writer.Write(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
        }
    }

    /// <summary>Reads what <see cref="WriteNames"/> wrote; throws <see cref="InvalidDataException"/> naming <paramref name="what"/> on an impossible count.</summary>
    public static string[] ReadNames(BinaryReader reader, string what)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > 4096)
        {
            throw new InvalidDataException($"{what} file is corrupt");
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = reader.ReadString();
        }

        return names;
    }
}
