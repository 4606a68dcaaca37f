using System.Security.Cryptography;
using System.Text;

namespace Conformance.Cases.Scripting;

/// <summary>
/// Octets a case sends or expects. Large payloads are described, not stored: a repeated pattern
/// of 16 MiB costs a few octets until the wire engine streams it out chunk by chunk.
/// </summary>
public sealed class Payload : IEquatable<Payload>
{
    private const int TileTarget = 16 * 1024;

    private readonly byte[] _pattern;
    private readonly Payload? _source;   // set for a view into another payload
    private readonly long _sourceOffset;
    private byte[]? _tile;
    private PayloadDigest? _digest;

    private Payload(byte[] pattern, long length)
    {
        _pattern = pattern;
        Length = length;
    }

    private Payload(Payload source, long offset, long length)
    {
        _pattern = [];
        _source = source;
        _sourceOffset = offset;
        Length = length;
    }

    public static Payload Empty { get; } = new([], 0);

    public long Length { get; }

    /// <summary>True when the payload is its pattern (not a repetition).</summary>
    public bool IsLiteral => _source is null && Length == _pattern.Length;

    public static Payload Of(params byte[] octets) => new(octets, octets.Length);

    public static Payload Of(ReadOnlySpan<byte> octets) => new(octets.ToArray(), octets.Length);

    public static Payload Text(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static Payload Hex(string hex) => Of(Convert.FromHexString(hex));

    /// <summary>"repeat(pattern, L)": exactly L octets made by repeating the pattern, the last repetition cut.</summary>
    public static Payload Repeat(ReadOnlySpan<byte> pattern, long length)
    {
        if (pattern.IsEmpty && length > 0)
        {
            throw new ArgumentException("An empty pattern cannot fill a non-empty payload.", nameof(pattern));
        }

        return new Payload(pattern.ToArray(), length);
    }

    public static Payload Repeat(string asciiPattern, long length) => Repeat(Encoding.UTF8.GetBytes(asciiPattern), length);

    public static Payload Repeat(byte octet, long length) => new([octet], length);

    /// <summary>Copies octets [offset, offset + destination.Length) of the payload into <paramref name="destination"/>.</summary>
    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        if (_source is not null)
        {
            _source.CopyTo(_sourceOffset + offset, destination);
            return;
        }

        if (_pattern.Length == 0)
        {
            return;
        }

        if (IsLiteral)
        {
            _pattern.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return;
        }

        // A tile of whole repetitions makes copies long, whatever the pattern's length.
        var tile = _tile ??= MakeTile();
        int position = (int)(offset % _pattern.Length);
        while (!destination.IsEmpty)
        {
            int take = Math.Min(destination.Length, tile.Length - position);
            tile.AsSpan(position, take).CopyTo(destination);
            destination = destination[take..];
            position = 0;
        }
    }

    private byte[] MakeTile()
    {
        int repetitions = Math.Max(1, TileTarget / _pattern.Length);
        var tile = new byte[repetitions * _pattern.Length];
        for (int i = 0; i < repetitions; i++)
        {
            _pattern.CopyTo(tile, i * _pattern.Length);
        }

        return tile;
    }

    public byte[] ToArray()
    {
        var octets = new byte[checked((int)Length)];
        CopyTo(0, octets);
        return octets;
    }

    /// <summary>A view of octets [start, start + length): nothing is copied.</summary>
    public Payload Slice(long start, long length)
    {
        if (start < 0 || length < 0 || start + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        return _source is not null ? new Payload(_source, _sourceOffset + start, length) : new Payload(this, start, length);
    }

    /// <summary>The first <paramref name="max"/> octets, for display.</summary>
    public byte[] Head(int max)
    {
        var octets = new byte[(int)Math.Min(max, Length)];
        CopyTo(0, octets);
        return octets;
    }

    public PayloadDigest Digest => _digest ??= ComputeDigest();

    private PayloadDigest ComputeDigest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> chunk = stackalloc byte[4096];
        for (long offset = 0; offset < Length; offset += chunk.Length)
        {
            int take = (int)Math.Min(chunk.Length, Length - offset);
            CopyTo(offset, chunk[..take]);
            hash.AppendData(chunk[..take]);
        }

        return new PayloadDigest(Length, Convert.ToHexStringLower(hash.GetHashAndReset()), Head(PayloadDigest.HeadLength));
    }

    /// <summary>A canonical description (pattern and length) used by the catalogue version hash.</summary>
    public string Describe() => _source is not null
        ? $"slice({_source.Describe()},{_sourceOffset},{Length})"
        : IsLiteral ? Convert.ToHexStringLower(_pattern) : $"repeat({Convert.ToHexStringLower(_pattern)},{Length})";

    public bool Equals(Payload? other) => other is not null && Digest.Equals(other.Digest);

    public override bool Equals(object? obj) => obj is Payload other && Equals(other);

    public override int GetHashCode() => Digest.GetHashCode();
}
