using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using static Conformance.Cases.Catalogue.Steps;

namespace Conformance.Cases.Catalogue;

/// <summary>
/// Category 6: text messages must be valid UTF-8 (RFC 6455 §5.6, §8.1). Valid text is echoed,
/// invalid text makes the peer fail the connection (1007), as early as the stream turns invalid.
/// </summary>
internal static class Utf8
{
    private const string Rfc = "RFC 6455 §5.6, §8.1";
    private const string KosmeHex = "cebae1bdb9cf83cebcceb5";

    /// <summary>"Hello-µ@ßöäüàá-UTF-8!!", 29 octets.</summary>
    internal static readonly Payload U29 = Payload.Hex("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121");

    /// <summary>Greek "κόσμε", 11 octets.</summary>
    internal static readonly Payload Kosme = Payload.Hex(KosmeHex);

    /// <summary>KOSME + a UTF-16 surrogate (invalid at octet 12) + "edited".</summary>
    internal static readonly Payload Bad20 = Payload.Hex(KosmeHex + "eda080" + "656469746564");

    /// <summary>KOSME + code point 0x110000 (invalid at octet 12) + "edited".</summary>
    internal static readonly Payload Bad21 = Payload.Hex(KosmeHex + "f4908080" + "656469746564");

    public static IEnumerable<Case> Build() => HandWritten().Concat(Generated());

    private static IEnumerable<Case> HandWritten()
    {
        const string Zero = "Valid UTF-8 with zero payload fragments";
        const string Fragmented = "Valid UTF-8 unfragmented, fragmented on code-points and within code-points";
        const string Invalid = "Invalid UTF-8 differently fragmented";
        var middle = Payload.Text("middle frame payload");

        yield return Accepted("6.1.1", Zero, "Send a text message with an empty payload.", Payload.Empty, Send(Txt(Payload.Empty)));
        yield return Accepted("6.1.2", Zero, "Send a text message in 3 frames, each with an empty payload.", Payload.Empty,
            Send(Txt(Payload.Empty, fin: false)), Send(Cont(Payload.Empty, fin: false)), Send(Cont(Payload.Empty)));
        yield return Accepted("6.1.3", Zero, "Send a text message in 3 frames: the first and last empty, the middle one 'middle frame payload'.", middle,
            Send(Txt(Payload.Empty, fin: false)), Send(Cont(middle, fin: false)), Send(Cont(Payload.Empty)));

        yield return Accepted("6.2.1", Fragmented, $"Send a valid UTF-8 text message in one frame. Payload: 0x{Hex(U29)}", U29, Send(Txt(U29)));
        yield return Accepted("6.2.2", Fragmented, $"Send a valid UTF-8 text message in 2 frames of 15 and 14 octets, split on a code point boundary. Payload: 0x{Hex(U29)}", U29,
            Send(Txt(U29.Slice(0, 15), fin: false)), Send(Cont(U29.Slice(15, 14))));
        yield return Accepted("6.2.3", Fragmented, $"Send a valid UTF-8 text message in 1-octet frames (29, then an empty final frame), so frames end inside code points. Payload: 0x{Hex(U29)}", U29,
            new SendMessage(Opcode.Text, U29, FragmentSize: 1));
        yield return Accepted("6.2.4", Fragmented, $"Send a valid UTF-8 text message in 1-octet frames (11, then an empty final frame), so frames end inside code points. Payload: 0x{KosmeHex}", Kosme,
            new SendMessage(Opcode.Text, Kosme, FragmentSize: 1));

        yield return Refused("6.3.1", Invalid, $"Send an invalid UTF-8 text message in one frame. Payload: 0x{Hex(Bad20)}", Send(Txt(Bad20)), Kill(1));
        yield return Refused("6.3.2", Invalid, $"Send an invalid UTF-8 text message in 1-octet frames (20, then an empty final frame). Payload: 0x{Hex(Bad20)}",
            new SendMessage(Opcode.Text, Bad20, FragmentSize: 1), Kill(1));

        yield return FailFast("6.4.1", "in 3 frames",
            Send(Txt(Kosme, fin: false)), Wait(1, "A"), Send(Cont(Payload.Hex("f4908080"), fin: false)), Wait(1, "B"), Send(Cont(Payload.Hex("656469746564"))), Kill(1));
        yield return FailFast("6.4.2", "in 3 frames",
            Send(Txt(Bad21.Slice(0, 12), fin: false)), Wait(1, "A"), Send(Cont(Bad21.Slice(12, 1), fin: false)), Wait(1, "B"), Send(Cont(Bad21.Slice(13, 8))), Kill(1));
        yield return FailFast("6.4.3", "as 3 writes of one 21-octet frame (FIN=0; an empty final continuation frame follows)", InParts(11, 4, 6), Send(Cont(Payload.Empty)), Kill(1));

        // Autobahn's own text for 6.4.4 shows an empty third part; the 8 octets described here are what it sends.
        yield return FailFast("6.4.4", "as 3 writes of one 21-octet frame (FIN=0; an empty final continuation frame follows)", InParts(12, 1, 8), Send(Cont(Payload.Empty)), Kill(1));
    }

    private static IEnumerable<Case> Generated()
    {
        var families = Families();
        for (int f = 0; f < families.Length; f++)
        {
            var (title, payloads) = families[f];
            for (int y = 1; y <= payloads.Count; y++)
            {
                var (hex, valid) = payloads[y - 1];
                var payload = Payload.Hex(hex);
                yield return new Case
                {
                    Id = $"6.{f + 5}.{y}",
                    SubcategoryTitle = title,
                    Description = $"Send a text message whose payload is {(valid ? "" : "not ")}valid UTF-8, in one frame. Payload: 0x{hex}",
                    Expectation = valid ? EchoExpectation : FailExpectation,
                    RfcSection = Rfc,
                    Script = [Send(Txt(payload)), Kill(0.5)],
                    Behavior = valid ? new ExpectEvents([Echo(payload)]) : ExpectEvents.Nothing,
                    Close = valid ? ExpectedClose.TesterCloses : ExpectedClose.PeerFailsInvalidUtf8,
                };
            }
        }
    }

    /// <summary>6.5–6.23 in order: subcategory label and (hex payload, valid) per case. The marks are the catalogue's, not computed.</summary>
    private static (string Title, IReadOnlyList<(string Hex, bool Valid)> Payloads)[] Families()
    {
        string[] missingLast = ["c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"];
        string[] highSurrogates = ["eda080", "edadbf", "edae80", "edafbf"];
        string[] lowSurrogates = ["edb080", "edbfbf"];
        return
        [
            ("Some valid UTF-8 sequences",
                V("68656c6c6f24776f726c64", "68656c6c6fc2a2776f726c64", "68656c6c6fe282ac776f726c64", "68656c6c6ff0a4ada2776f726c64", KosmeHex)),
            ("All prefixes of a valid UTF-8 string that contains multi-byte code points",
                [.. Enumerable.Range(1, 11).Select(n => (KosmeHex[..(2 * n)], n is 2 or 5 or 7 or 9 or 11))]),
            ("First possible sequence of a certain length", V("00", "c280", "e0a080", "f0908080")),
            ("First possible sequence length 5/6 (invalid codepoints)", I("f888808080", "fc8480808080")),
            ("Last possible sequence of a certain length", V("7f", "dfbf", "efbfbf", "f48fbfbf")),
            ("Last possible sequence length 4/5/6 (invalid codepoints)", I("f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf")),
            ("Other boundary conditions", [.. V("ed9fbf", "ee8080", "efbfbd", "f48fbfbf"), .. I("f4908080")]),
            ("Unexpected continuation bytes",
                I("80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf", Ascending(0x80, 0xBE))),
            ("Lonely start characters",
                I(Ascending(0xC0, 0xDE, "20"), Ascending(0xE0, 0xEE, "20"), Ascending(0xF0, 0xF6, "20"), Ascending(0xF8, 0xFA, "20"), "fc20")),
            ("Sequences with last continuation byte missing", I(missingLast)),
            ("Concatenation of incomplete sequences", I(string.Concat(missingLast))),
            ("Impossible bytes", I("fe", "ff", "fefeffff")),
            ("Examples of an overlong ASCII character", I("c0af", "e080af", "f08080af", "f8808080af", "fc80808080af")),
            ("Maximum overlong sequences", I("c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf")),
            ("Overlong representation of the NUL character", I("c080", "e08080", "f0808080", "f880808080", "fc8080808080")),
            ("Single UTF-16 surrogates", I("eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf")),
            ("Paired UTF-16 surrogates", I([.. highSurrogates.SelectMany(h => lowSurrogates.Select(l => h + l))])),
            ("Non-character code points (valid UTF-8)", V([.. NonCharacters()])),
            ("Unicode specials (i.e. replacement char)", V("efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf")),
        ];
    }

    /// <summary>6.22: U+FFFE, U+FFFF, then z1 z2 BF last for z1 = F0…F4, z2 = 8F/9F/AF/BF, last = BE/BF, without the overlong F0 8F and anything above U+10FFFF.</summary>
    private static IEnumerable<string> NonCharacters()
    {
        yield return "efbfbe";
        yield return "efbfbf";
        foreach (int z1 in new[] { 0xF0, 0xF1, 0xF2, 0xF3, 0xF4 })
        {
            foreach (int z2 in new[] { 0x8F, 0x9F, 0xAF, 0xBF })
            {
                if ((z1 == 0xF4 && z2 != 0x8F) || (z1 == 0xF0 && z2 == 0x8F))
                {
                    continue;
                }

                foreach (string last in new[] { "be", "bf" })
                {
                    yield return $"{z1:x2}{z2:x2}bf{last}";
                }
            }
        }
    }

    /// <summary>The octets first…last (inclusive) in ascending order, each followed by <paramref name="after"/>.</summary>
    private static string Ascending(int first, int last, string after = "") =>
        string.Concat(Enumerable.Range(first, last - first + 1).Select(b => $"{b:x2}{after}"));

    private static (string, bool)[] V(params string[] hex) => [.. hex.Select(h => (h, true))];

    private static (string, bool)[] I(params string[] hex) => [.. hex.Select(h => (h, false))];

    private const string EchoExpectation = "The message is echoed back unchanged; then a clean close with normal code.";
    private const string FailExpectation = "The peer fails the connection at once (close 1007, or a TCP drop) because the payload is not valid UTF-8; nothing is echoed.";

    private static Case Accepted(string id, string title, string description, Payload message, params Step[] sends) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = EchoExpectation,
        RfcSection = Rfc,
        Script = [.. sends, CloseAfter(1)],
        Behavior = new ExpectEvents([Echo(message)]),
        Close = ExpectedClose.TesterCloses,
    };

    private static Case Refused(string id, string title, string description, params Step[] script) => new()
    {
        Id = id,
        SubcategoryTitle = title,
        Description = description,
        Expectation = FailExpectation,
        RfcSection = Rfc,
        Script = script,
        Behavior = ExpectEvents.Nothing,
        Close = ExpectedClose.PeerFailsInvalidUtf8,
    };

    /// <summary>
    /// 6.4.x: the first part is valid, the second makes the stream invalid (octet 12), the third ends it.
    /// Failing during the second wait is OK (only A marked), during the last timer NON-STRICT.
    /// </summary>
    private static Case FailFast(string id, string how, params Step[] script)
    {
        var parts = Parts(script);
        return new Case
        {
            Id = id,
            SubcategoryTitle = "Fail-fast on invalid UTF-8",
            Description = $"Send an invalid UTF-8 text message {how}, pausing 1 s after parts 1 and 2: " +
                          $"PART1 = 0x{parts[0]} (valid), PART2 = 0x{parts[1]} (makes it invalid: 0x110000 is beyond U+10FFFF), PART3 = 0x{parts[2]}.",
            Expectation = "PART1 is accepted (the first pause ends with the connection open); the peer fails the connection (1007) " +
                          "during the second pause, right after PART2. Failing only after PART3 is non-strict.",
            RfcSection = Rfc,
            Script = script,
            Behavior = new ExpectEvents([new TimeoutEvent("A")], [new TimeoutEvent("A"), new TimeoutEvent("B")]),
            Close = ExpectedClose.PeerFailsInvalidUtf8,
        };
    }

    /// <summary>The three non-empty payload parts of a 6.4 script, as hex.</summary>
    private static string[] Parts(Step[] script)
    {
        if (script[0] is SendFrameInParts inParts)
        {
            var parts = new List<string>();
            long at = 0;
            foreach (int length in inParts.PartLengths)
            {
                parts.Add(Hex(inParts.Frame.Payload.Slice(at, length)));
                at += length;
            }

            return [.. parts];
        }

        return [.. script.OfType<SendFrame>().Take(3).Select(s => Hex(s.Frame.Payload))];
    }

    private static SendFrameInParts InParts(params int[] lengths) =>
        new(Txt(Bad21, fin: false), lengths, [Wait(1, "A"), Wait(1, "B")]);

    private static Frame Txt(Payload payload, bool fin = true) => new(Opcode.Text, payload, fin);

    private static Frame Cont(Payload payload, bool fin = true) => new(Opcode.Continuation, payload, fin);

    private static string Hex(Payload payload) => Convert.ToHexStringLower(payload.ToArray());
}
