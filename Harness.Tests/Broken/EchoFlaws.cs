namespace Conformance.Tests.Broken;

/// <summary>
/// The flaws of the scripted echo peer (one violation each) that mean the same for a server and a client;
/// each role adds its two masking flaws (§5.1 binds the two roles the other way round).
/// </summary>
internal static class EchoFlaws
{
    public static IEnumerable<(string Name, ScriptedServerOptions Options)> BothRoles()
    {
        yield return ("echo corrupts the payload", new() { EchoCorruptsPayload = true });
        yield return ("never pongs", new() { NeverPongs = true });
        yield return ("pong payload differs", new() { PongWrongPayload = true });
        yield return ("accepts RSV bits", new() { AcceptsRsvBits = true });
        yield return ("skips reserved opcodes", new() { AcceptsReservedOpcodes = true });
        yield return ("ignores fragmentation errors", new() { IgnoresFragmentationErrors = true });
        yield return ("accepts invalid UTF-8", new() { AcceptsInvalidUtf8 = true });
        yield return ("fails with 1000", new() { ClosesWithWrongCode = WrongCloseCode.NormalOnProtocolError });
        yield return ("answers a valid close with 1002", new() { ClosesWithWrongCode = WrongCloseCode.ProtocolErrorOnValidClose });
        yield return ("never answers a close", new() { NeverAnswersClose = true });
        yield return ("echoes the first fragment only", new() { EchoesFirstFragmentOnly = true });
        yield return ("truncates messages above 1000 octets", new() { TruncatesLargeMessages = true, TruncateAt = 1000 });
        yield return ("drops TCP without a close", new() { DropsTcpWithoutClose = true });
        yield return ("sends an unsolicited message", new() { SendsUnsolicitedMessageAtStart = true });
    }
}
