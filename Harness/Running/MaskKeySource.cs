using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Conformance.Harness.Running;

/// <summary>
/// Fresh masking keys from a strong entropy source (RFC 6455 §5.3), drawn in batches so that a
/// message of 65 537 frames does not cost 65 537 calls into the random number generator.
/// Not thread-safe: one per session, used by its single writer.
/// </summary>
internal sealed class MaskKeySource
{
    private readonly byte[] _batch = new byte[4096];
    private int _position = 4096;

    public uint Next()
    {
        if (_position == _batch.Length)
        {
            RandomNumberGenerator.Fill(_batch);
            _position = 0;
        }

        uint key = BinaryPrimitives.ReadUInt32BigEndian(_batch.AsSpan(_position));
        _position += 4;
        return key;
    }
}
