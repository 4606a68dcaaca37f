namespace Conformance.Cases.Protocol;

/// <summary>
/// Incremental, fail-fast UTF-8 validation (RFC 3629 §3/§4, required by RFC 6455 §8.1):
/// rejects overlong forms, surrogates (U+D800–U+DFFF) and code points above U+10FFFF at the
/// first octet that makes the stream invalid, however the stream is split into chunks.
/// Non-characters such as U+FFFE are valid UTF-8 and are accepted.
/// </summary>
public struct Utf8Validator
{
    private int _needed;   // continuation octets still expected
    private byte _lower;   // allowed range of the next continuation octet
    private byte _upper;
    private bool _failed;

    public readonly bool IsFailed => _failed;

    /// <summary>True when no multi-octet sequence is left open (the message may end here).</summary>
    public readonly bool IsAtBoundary => !_failed && _needed == 0;

    /// <summary>Feeds octets; returns false once the stream is invalid (and from then on).</summary>
    public bool Feed(ReadOnlySpan<byte> octets)
    {
        if (_failed)
        {
            return false;
        }

        for (int i = 0; i < octets.Length; i++)
        {
            byte b = octets[i];
            if (_needed == 0)
            {
                if (b < 0x80)
                {
                    // Skip a run of ASCII at vector speed.
                    int next = octets[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                    if (next < 0)
                    {
                        return true;
                    }

                    i += next - 1;
                    continue;
                }

                (_needed, _lower, _upper) = b switch
                {
                    >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
                    0xE0 => (2, (byte)0xA0, (byte)0xBF),              // no overlong 3-octet forms
                    >= 0xE1 and <= 0xEC => (2, (byte)0x80, (byte)0xBF),
                    0xED => (2, (byte)0x80, (byte)0x9F),              // no surrogates
                    >= 0xEE and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
                    0xF0 => (3, (byte)0x90, (byte)0xBF),              // no overlong 4-octet forms
                    >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
                    0xF4 => (3, (byte)0x80, (byte)0x8F),              // nothing above U+10FFFF
                    _ => (-1, (byte)0, (byte)0),
                };
                if (_needed < 0)
                {
                    _failed = true;
                    return false;
                }
            }
            else
            {
                if (b < _lower || b > _upper)
                {
                    _failed = true;
                    return false;
                }

                _needed--;
                _lower = 0x80;
                _upper = 0xBF;
            }
        }

        return true;
    }

    public static bool IsValid(ReadOnlySpan<byte> octets)
    {
        var validator = new Utf8Validator();
        return validator.Feed(octets) && validator.IsAtBoundary;
    }
}
