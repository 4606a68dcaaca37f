using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 11.3 (clients only): the masking keys a client chooses (RFC 6455 §5.3). The tester sends messages one
/// after another and records the key of every frame of the echoes; the case page shows them.
/// </summary>
internal static class MaskingKeys
{
    private const string Title = "The client's masking keys (clients only)";
    private const string Words = "RFC 6455 §5.3: \"The masking key is a 32-bit value chosen at random by the client. When preparing a masked frame, the client MUST pick a fresh masking key from the set of allowed 32-bit values. The masking key needs to be unpredictable\"";

    public static IEnumerable<Case> Build()
    {
        yield return Keys("11.3.1", 16, Opcode.Text, MaskKeyCheck.NoRepeats,
            "Send 16 text messages (\"key 1\" … \"key 16\"), each after the echo of the one before, and record the masking key of every frame the client sends.",
            "All 16 echoes arrive and no two of the client's frames share a masking key (a repeated key is a predictable one); clean close. The keys are listed in the reason.");
        yield return Keys("11.3.2", 16, Opcode.Binary, MaskKeyCheck.NoZeroKey,
            "Send 16 binary messages of 4 octets, each after the echo of the one before, and record the masking key of every frame the client sends.",
            "All 16 echoes arrive and no key is 00 00 00 00 (with it the payload crosses the wire unmasked, which masking exists to prevent, §10.3); clean close. The keys are listed in the reason.");
    }

    private static Case Keys(string id, int count, byte opcode, MaskKeyCheck check, string description, string expectation)
    {
        var payloads = Enumerable.Range(1, count).Select(i => opcode == Opcode.Text ? Payload.Text($"key {i}") : Payload.Of(0x6b, 0x65, 0x79, (byte)i)).ToArray();
        var script = new List<Step> { CloseAfter(5) };
        foreach (var payload in payloads)
        {
            script.Add(new SendMessage(opcode, payload));
            script.Add(new AwaitMessage());
        }

        return new Case
        {
            Id = id,
            SubcategoryTitle = Title,
            Description = description + " " + Words + ".",
            Expectation = expectation,
            RfcSection = "RFC 6455 §5.3",
            Requirement = Requirement.Must,
            Script = script,
            Behavior = new ExpectFreshMaskKeys(new ExpectEvents([.. payloads.Select(p => Echo(p, opcode == Opcode.Binary))]), check),
            Close = ExpectedClose.TesterCloses,
            Roles = PeerRoles.Client,
        };
    }
}
