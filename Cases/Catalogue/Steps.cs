using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

/// <summary>Short names for the steps case tables are written with.</summary>
internal static class Steps
{
    public static SendFrame Send(Frame frame, Writing writing = default) => new(frame, writing);

    public static ArmKill Kill(double seconds) => new(TimeSpan.FromSeconds(seconds));

    public static ArmCloseAfter CloseAfter(double seconds) => new(TimeSpan.FromSeconds(seconds));

    public static Pause Wait(double seconds, string? tag = null) => new(TimeSpan.FromSeconds(seconds), tag);

    public static StartClose Close(ushort? code = null, Payload? reason = null) => new(code, reason);

    public static MessageEvent Echo(Payload payload, bool binary = false) => MessageEvent.Expect(payload, binary);

    public static MessageEvent EchoText(string text) => MessageEvent.Expect(Payload.Text(text), false);

    public static PongEvent PongOf(Payload payload) => PongEvent.Expect(payload);
}
