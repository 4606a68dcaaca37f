using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Conformance.Harness.Running;

/// <summary>
/// Fresh masking keys from a strong entropy source (RFC 6455 §5.3), drawn in batches so that a
/// message of 65 537 frames does not cost 65 537 calls into the random number generator. Batches
/// start small and double, so that a case that masks a handful of frames draws a handful of keys.
/// Not thread-safe: one per session, used by its single writer.
/// </summary>
internal sealed class MaskKeySource
{
    private const int FirstBatch = 64;
    private const int LargestBatch = 4096;

    private byte[] _batch = [];
    private int _position;

    public uint Next()
    {
        if (_position == _batch.Length)
        {
            _batch = _batch.Length == LargestBatch ? _batch : new byte[Math.Max(FirstBatch, _batch.Length * 2)];
            RandomNumberGenerator.Fill(_batch);
            _position = 0;
        }

        uint key = BinaryPrimitives.ReadUInt32BigEndian(_batch.AsSpan(_position));
        _position += 4;
        return key;
    }
}
