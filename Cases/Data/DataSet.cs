using System.Security.Cryptography;

namespace Conformance.Cases.Data;

/// <summary>
/// A test-data file for the compression cases (categories 12 and 13), made by a deterministic
/// generator of this project instead of a third-party file. It is generated at first use and kept
/// in memory; the catalogue only holds its description and its declared SHA-256, so building the
/// catalogue costs nothing. The generated octets are checked against the declared hash, so a
/// changed generator cannot silently change what the cases send.
/// </summary>
public sealed class DataSet
{
    private readonly Func<byte[]> _generate;
    private readonly Lazy<Content> _content;

    public DataSet(string key, string description, int length, bool isText, int codePoints, string sha256, Func<byte[]> generate)
    {
        Key = key;
        Description = description;
        Length = length;
        IsText = isText;
        CodePoints = codePoints;
        Sha256 = sha256;
        _generate = generate;
        _content = new Lazy<Content>(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A short name, e.g. <c>json</c>.</summary>
    public string Key { get; }

    /// <summary>What the data is, e.g. "Large JSON document (generated)".</summary>
    public string Description { get; }

    /// <summary>Size in octets.</summary>
    public int Length { get; }

    /// <summary>Sent as text messages, cut in code points; otherwise binary, cut in octets.</summary>
    public bool IsText { get; }

    /// <summary>Unicode code points of the UTF-8 text (equals <see cref="Length"/> for binary data and pure ASCII).</summary>
    public int CodePoints { get; }

    /// <summary>The declared SHA-256 of the octets (lower-case hex); part of the catalogue version.</summary>
    public string Sha256 { get; }

    /// <summary>Units the sliding window counts: code points for text, octets for binary.</summary>
    public int Units => IsText ? CodePoints : Length;

    /// <summary>Autobahn's subcategory label form: description + " (utf8|binary, N bytes)".</summary>
    public string Label => $"{Description} ({(IsText ? "utf8" : "binary")}, {Length} bytes)";

    /// <summary>Whether the octets have been generated yet (tests use it to prove laziness).</summary>
    public bool IsGenerated => _content.IsValueCreated;

    /// <summary>The whole data set (generated on first use).</summary>
    public ReadOnlyMemory<byte> Octets => _content.Value.Octets;

    /// <summary>The canonical text the catalogue version hashes.</summary>
    public string Describe() => $"{Key} {(IsText ? "text" : "binary")} {Length} octets {CodePoints} code points sha256={Sha256}";

    public override string ToString() => Key;

    /// <summary>
    /// Message <paramref name="index"/> (0-based) of a sliding, circular window of <paramref name="units"/>
    /// units: message k starts at unit k × units modulo the data length; a window that passes the end
    /// continues at the start. Text windows are whole code points, so the octets are valid UTF-8.
    /// </summary>
    public byte[] Message(int units, int index)
    {
        byte[]? message = null;
        int length = Message(units, index, ref message);
        return length == message!.Length ? message : message[..length];
    }

    /// <summary>
    /// Writes message <paramref name="index"/> (see <see cref="Message(int, int)"/>) into <paramref name="buffer"/>,
    /// which is replaced by a larger one when needed, and returns its length in octets: a sender that sends one
    /// message at a time reuses one buffer instead of allocating 128 KiB per message.
    /// </summary>
    public int Message(int units, int index, ref byte[]? buffer)
    {
        var content = _content.Value;
        int total = Units;
        long start = (long)index * units % total;
        int length = OctetsOf(content, start, units);
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[length];
        }

        int written = 0;
        long position = start;
        long left = units;
        while (left > 0)
        {
            long take = Math.Min(left, total - position);
            int from = content.Offset(position);
            int to = content.Offset(position + take);
            content.Octets.AsSpan(from, to - from).CopyTo(buffer.AsSpan(written));
            written += to - from;
            left -= take;
            position = (position + take) % total;
        }

        return length;
    }

    /// <summary>The octets of units [<paramref name="start"/>, <paramref name="start"/> + <paramref name="units"/>), which must not pass the end.</summary>
    public ReadOnlyMemory<byte> Range(long start, long units)
    {
        if (start < 0 || units < 0 || start + units > Units)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"units [{start}, {start + units}) are not inside [0, {Units})");
        }

        var content = _content.Value;
        int from = content.Offset(start);
        return content.Octets.AsMemory(from, content.Offset(start + units) - from);
    }

    private int OctetsOf(Content content, long start, long units)
    {
        int total = Units;
        long octets = 0;
        long position = start;
        while (units > 0)
        {
            long take = Math.Min(units, total - position);
            octets += content.Offset(position + take) - content.Offset(position);
            units -= take;
            position = (position + take) % total;
        }

        return checked((int)octets);
    }

    private Content Build()
    {
        byte[] octets = _generate();
        string hash = Convert.ToHexStringLower(SHA256.HashData(octets));
        if (octets.Length != Length || hash != Sha256)
        {
            throw new InvalidOperationException(
                $"the generator of data set '{Key}' produced {octets.Length} octets with SHA-256 {hash}; the catalogue declares {Length} octets with {Sha256}. " +
                "A changed generator changes what the cases send: update the declaration (and so the catalogue version) on purpose.");
        }

        int[]? offsets = null;
        if (IsText)
        {
            offsets = CodePointOffsets(octets);
            if (offsets.Length - 1 != CodePoints)
            {
                throw new InvalidOperationException($"data set '{Key}' has {offsets.Length - 1} code points; the catalogue declares {CodePoints}.");
            }

            if (offsets.Length - 1 == octets.Length)
            {
                offsets = null; // pure ASCII: a code point is an octet
            }
        }

        return new Content(octets, offsets);
    }

    /// <summary>Octet offset of every code point, plus the end.</summary>
    private static int[] CodePointOffsets(byte[] octets)
    {
        var offsets = new List<int>(octets.Length + 1);
        for (int i = 0; i < octets.Length; i++)
        {
            if ((octets[i] & 0xC0) != 0x80)
            {
                offsets.Add(i);
            }
        }

        offsets.Add(octets.Length);
        return [.. offsets];
    }

    private sealed record Content(byte[] Octets, int[]? CodePointStarts)
    {
        public int Offset(long unit) => CodePointStarts is null ? (int)unit : CodePointStarts[unit];
    }
}
