using System.Text;

namespace Conformance.Cases.Fuzzing;

/// <summary>UTF-8 ingredients: valid text with code points of every width, and the classes of invalid sequence (RFC 3629 §3, §4).</summary>
public static class Utf8Text
{
    /// <summary>Invalid sequences: overlong forms, surrogates, above U+10FFFF, stray octets, a lead octet without its continuation.</summary>
    public static IReadOnlyList<byte[]> InvalidSequences { get; } =
    [
        [0xC0, 0x80],             // overlong NUL
        [0xE0, 0x80, 0xAF],       // overlong '/'
        [0xED, 0xA0, 0x80],       // surrogate U+D800
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xF8, 0x88, 0x80, 0x80, 0x80], // 5-octet form
        [0xFF],
        [0x80],                   // continuation without a lead
        [0xCE, 0x41],             // lead octet followed by ASCII
        [0xE2, 0x82, 0x41],       // 3-octet form cut by ASCII
    ];

    /// <summary>A lead octet whose sequence never completes, for the end of a message ("truncated code point").</summary>
    public static IReadOnlyList<byte[]> TruncatedEndings { get; } = [[0xCE], [0xE2, 0x82], [0xF0, 0x9F, 0x98]];

    private static readonly int[] Samples = ['a', 'Z', ' ', '~', 0xE9, 0x3BA, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF];

    /// <summary>Valid UTF-8 of exactly <paramref name="length"/> octets, mixing 1- to 4-octet code points.</summary>
    public static byte[] Valid(FuzzRandom random, int length)
    {
        var octets = new byte[length];
        int at = 0;
        Span<byte> one = stackalloc byte[4];
        bool wide = random.Percent(50);
        while (at < length)
        {
            int codePoint = wide && random.Percent(40) ? Samples[random.Below(Samples.Length)] : random.Between(0x20, 0x7E);
            int width = new Rune(codePoint).EncodeToUtf8(one);
            if (at + width > length)
            {
                codePoint = random.Between(0x20, 0x7E);
                width = new Rune(codePoint).EncodeToUtf8(one);
            }

            one[..width].CopyTo(octets.AsSpan(at));
            at += width;
        }

        return octets;
    }

    /// <summary>Valid text with one invalid sequence at <paramref name="at"/> (clamped to the length).</summary>
    public static byte[] WithInvalid(FuzzRandom random, int length, int at)
    {
        var bad = random.Pick(InvalidSequences);
        at = Math.Clamp(at, 0, length);
        var before = Valid(random, at);
        var after = Valid(random, Math.Max(0, length - at));
        return [.. before, .. bad, .. after];
    }

    /// <summary>Valid text whose last code point is cut: invalid only at the end of the message.</summary>
    public static byte[] Truncated(FuzzRandom random, int length) => [.. Valid(random, length), .. random.Pick(TruncatedEndings)];

    /// <summary>The offset of a multi-octet code point in valid text (where a cut splits it), or -1.</summary>
    public static int MultiOctetStart(ReadOnlySpan<byte> text, int from)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (text[i] >= 0xC2)
            {
                return i;
            }
        }

        return -1;
    }
}
