using System.Text;

namespace Conformance.Cases.Scripting;

/// <summary>What the tester records from the peer, in arrival order (pings are answered, not recorded).</summary>
public abstract record Event
{
    public abstract string Describe();

    /// <summary>Shows octets as text when they are valid UTF-8, as hex otherwise; long payloads are cut.</summary>
    public static string Show(byte[] head, long length)
    {
        const int Max = 64;
        bool cut = length > Max;
        var shown = head.AsSpan(0, (int)Math.Min(head.Length, Max));
        string text = Protocol.Utf8Validator.IsValid(shown) || (cut && IsValidPrefix(shown))
            ? Encoding.UTF8.GetString(shown)
            : "0x" + Convert.ToHexStringLower(shown);
        return cut ? $"{text} ... ({length} octets)" : text;
    }

    private static bool IsValidPrefix(ReadOnlySpan<byte> octets)
    {
        var validator = new Protocol.Utf8Validator();
        return validator.Feed(octets);
    }
}

public sealed record MessageEvent(PayloadDigest Payload, bool IsBinary) : Event
{
    public static MessageEvent Expect(Payload payload, bool isBinary) => new(payload.Digest, isBinary);

    public override string Describe() => $"message {(IsBinary ? "binary" : "text")} {Show(Payload.Head, Payload.Length)}";
}

public sealed record PongEvent(PayloadDigest Payload) : Event
{
    public static PongEvent Expect(Payload payload) => new(payload.Digest);

    public override string Describe() => $"pong {Show(Payload.Head, Payload.Length)}";
}

public sealed record TimeoutEvent(string Tag) : Event
{
    public override string Describe() => $"timeout {Tag}";
}
