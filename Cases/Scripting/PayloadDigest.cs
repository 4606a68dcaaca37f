namespace Conformance.Cases.Scripting;

/// <summary>
/// What is kept of a message: its length, a SHA-256 of its octets and its first octets. Two
/// payloads are equal when length and hash are; memory stays bounded for 16 MiB messages.
/// </summary>
public sealed record PayloadDigest(long Length, string Sha256, byte[] Head)
{
    public const int HeadLength = 256;

    public bool Equals(PayloadDigest? other) => other is not null && Length == other.Length && Sha256 == other.Sha256;

    public override int GetHashCode() => HashCode.Combine(Length, Sha256);
}
