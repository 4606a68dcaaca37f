using System.Text;

namespace Conformance.Cases.Data;

/// <summary>Builds UTF-8 text to an exact octet length (the data sets have Autobahn's file sizes).</summary>
internal sealed class Utf8Builder(int capacity)
{
    private readonly List<byte> _octets = new(capacity);

    public int Length => _octets.Count;

    public Utf8Builder Append(string text)
    {
        _octets.AddRange(Encoding.UTF8.GetBytes(text));
        return this;
    }

    public static int OctetsOf(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>ASCII filler of exactly <paramref name="length"/> octets made of words (no trailing space).</summary>
    public static string Filler(DataRandom random, IReadOnlyList<string> asciiWords, int length)
    {
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(random.Pick(asciiWords));
        }

        text.Length = length;
        if (length > 0 && text[length - 1] == ' ')
        {
            text[length - 1] = '.';
        }

        return text.ToString();
    }

    public byte[] ToArray() => [.. _octets];
}
