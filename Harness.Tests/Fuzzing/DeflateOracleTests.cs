using Conformance.Cases.Fuzzing;
using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Wire.Deflate;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>The oracle on permessage-deflate scripts (RFC 7692 §6, §7.2.2), and the octets the harness makes for them.</summary>
public sealed class DeflateOracleTests
{
    private static readonly Payload Hello = Payload.Text("Hello");
    private static readonly Payload A = Payload.Text("a");

    private static SendFrame Send(Frame frame) => new(frame);

    [Test]
    public void A_compressed_message_means_its_octets_whatever_its_form()
    {
        foreach (var blocks in Enum.GetValues<DeflateBlocks>())
        {
            var p = Oracle.Predict([new SendDeflated(Opcode.Text, Hello, blocks), Send(Frame.Text("plain")), new StartClose(1000)], deflate: true);
            Assert.That(p.IsValid, blocks.ToString());
            Assert.That(p.Events, Is.EqualTo(new Event[] { MessageEvent.Expect(Hello, false), MessageEvent.Expect(Payload.Text("plain"), false) }), blocks.ToString());
        }
    }

    [Test]
    public void Control_frames_between_compressed_fragments_are_answered_before_the_echo()
    {
        var fragmented = new SendDeflated(Opcode.Binary, Hello, Fragments: 3) { Between = [Frame.Ping(A)] };
        var whole = fragmented with { Fragments = 1 };
        Assert.Multiple(() =>
        {
            Assert.That(Oracle.Predict([fragmented], deflate: true).Events, Is.EqualTo(new Event[] { PongEvent.Expect(A), MessageEvent.Expect(Hello, true) }));
            Assert.That(Oracle.Predict([whole], deflate: true).Events, Is.EqualTo(new Event[] { MessageEvent.Expect(Hello, true), PongEvent.Expect(A) }), "one frame: the control frame follows it");
        });
    }

    [Test]
    public void Rsv1_on_a_control_frame_or_a_continuation_fails_the_connection_with_1002()
    {
        var ping = Oracle.Predict([Send(Frame.Ping(A)), Send(new Frame(Opcode.Ping, A, Rsv: 4))], deflate: true);
        var continuation = Oracle.Predict([new SendDeflated(Opcode.Text, Hello, Fragments: 2, Damage: DeflateDamage.Rsv1OnContinuation)], deflate: true);
        var plainContinuation = Oracle.Predict([Send(new Frame(Opcode.Text, A, Fin: false)), Send(new Frame(Opcode.Continuation, A, Rsv: 4))], deflate: true);
        Assert.Multiple(() =>
        {
            Assert.That(ping.Violation, Is.EqualTo(ViolationClass.CompressedControl));
            Assert.That(ping.Events, Is.EqualTo(new Event[] { PongEvent.Expect(A) }), "the first ping is answered");
            Assert.That(ping.Close.Codes, Is.EqualTo(new[] { 1002 }));
            Assert.That(ping.Close.ClosedByTester, Is.False);
            Assert.That(continuation.Violation, Is.EqualTo(ViolationClass.CompressedContinuation));
            Assert.That(plainContinuation.Violation, Is.EqualTo(ViolationClass.CompressedContinuation));
            Assert.That(continuation.Close.Codes, Is.EqualTo(new[] { 1002 }));
        });
    }

    [Test]
    public void Without_deflate_RSV1_is_a_reserved_bit()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Oracle.Predict([Send(new Frame(Opcode.Ping, A, Rsv: 4))]).Violation, Is.EqualTo(ViolationClass.ReservedBits));
            Assert.That(Oracle.Predict([new SendDeflated(Opcode.Text, Hello)]).Violation, Is.EqualTo(ViolationClass.ReservedBits));
        });
    }

    [TestCase(DeflateDamage.ReservedBlockType)]
    [TestCase(DeflateDamage.BadStoredLength)]
    public void Corrupt_data_fails_the_connection_with_1007_or_1002(DeflateDamage damage)
    {
        var p = Oracle.Predict([new SendDeflated(Opcode.Binary, Hello), new SendDeflated(Opcode.Binary, Hello, Damage: damage)], deflate: true);
        Assert.Multiple(() =>
        {
            Assert.That(p.Violation, Is.EqualTo(ViolationClass.CorruptDeflate));
            Assert.That(p.Events, Is.EqualTo(new Event[] { MessageEvent.Expect(Hello, true) }));
            Assert.That(p.Close.Codes, Is.EquivalentTo(new[] { 1007, 1002 }));
        });
    }

    [Test]
    public void Compressed_text_that_is_not_UTF8_fails_with_1007_and_pongs_between_its_fragments_are_non_strict()
    {
        var invalid = Payload.Hex("48656cc0af");
        var plain = Oracle.Predict([new SendDeflated(Opcode.Text, invalid)], deflate: true);
        var between = Oracle.Predict([new SendDeflated(Opcode.Text, invalid, Fragments: 2) { Between = [Frame.Ping(A)] }], deflate: true);
        Assert.Multiple(() =>
        {
            Assert.That(plain.Violation, Is.EqualTo(ViolationClass.InvalidUtf8));
            Assert.That(plain.Close.Codes, Does.Contain(1007));
            Assert.That(between.Events, Is.Empty, "strict: fail before answering the ping");
            Assert.That(between.NonStrict, Has.Some.EqualTo(new Event[] { PongEvent.Expect(A) }), "answering the ping first is NON-STRICT");
        });
    }

    [Test]
    public void A_generated_deflate_case_offers_and_is_unimplemented_without_agreement()
    {
        var @case = FuzzCase.Generate(1, 0, deflate: true);
        Assert.Multiple(() =>
        {
            Assert.That(@case.Deflate, Is.Not.Null);
            Assert.That(@case.Deflate!.WithoutAgreement, Is.EqualTo(WithoutDeflate.Unimplemented));
            Assert.That(@case.Deflate.InspectPeer && @case.Deflate.KeepsOfferHints);
            Assert.That(FuzzCase.Generate(1, 0).Deflate, Is.Null);
        });
    }

    [Test]
    public void The_client_keeps_the_hints_of_its_offers()
    {
        var agreed = new DeflateAgreement(new(15, false), new(15, false), "permessage-deflate");
        var kept = agreed.WithClientHints(["permessage-deflate; client_no_context_takeover; client_max_window_bits=10", "permessage-deflate"]);
        Assert.That(kept.ClientToServer, Is.EqualTo(new DeflateDirection(10, true)));
        Assert.That(agreed.WithClientHints(["permessage-deflate; client_max_window_bits"]).ClientToServer, Is.EqualTo(new DeflateDirection(15, false)));
    }

    /// <summary>The harness's octets for every form inflate to the messages, with the context kept across stored and final blocks; damage never inflates.</summary>
    [Test]
    public void The_octets_of_every_form_inflate_to_the_message_and_damage_does_not()
    {
        var message = Payload.Text(string.Concat(Enumerable.Repeat("context takeover ", 40)));
        var steps = new[] { DeflateBlocks.Compressed, DeflateBlocks.Stored, DeflateBlocks.Compressed, DeflateBlocks.Final, DeflateBlocks.Compressed, DeflateBlocks.Stored, DeflateBlocks.Compressed }
            .Select(b => new SendDeflated(Opcode.Text, message, b)).Append(new SendDeflated(Opcode.Text, Payload.Empty)).Append(new SendDeflated(Opcode.Text, Payload.Empty)).ToArray();
        foreach (int bits in new[] { 9, 15 })
        {
            using var deflater = new RawDeflater(bits);
            using var inflater = new RawInflater(15);
            foreach (var step in steps)
            {
                var payload = DeflatedPayload.Make(step, deflater, keepsContext: true);
                var sink = new Collect();
                Assert.That(inflater.Feed(payload, sink) ?? inflater.EndMessage(sink, resetContext: false), Is.Null, $"{step.Blocks}, window {bits}");
                Assert.That(sink.Octets, Is.EqualTo(step.Message.ToArray()), $"{step.Blocks}, window {bits}");
            }

            foreach (var damage in new[] { DeflateDamage.ReservedBlockType, DeflateDamage.BadStoredLength })
            {
                var payload = DeflatedPayload.Make(new SendDeflated(Opcode.Text, message, DeflateBlocks.Final, Damage: damage), deflater, keepsContext: true);
                using var fresh = new RawInflater(15);
                var sink = new Collect();
                Assert.That(fresh.Feed(payload, sink) ?? fresh.EndMessage(sink, resetContext: false), Is.Not.Null, $"{damage} must not inflate");
            }
        }
    }

    [Test]
    public void The_frames_of_a_compressed_message_carry_RSV1_on_the_first_only_unless_damaged()
    {
        var payload = new byte[10];
        var frames = DeflatedPayload.Frames(new SendDeflated(Opcode.Text, Hello, Fragments: 3), payload).ToArray();
        var damaged = DeflatedPayload.Frames(new SendDeflated(Opcode.Text, Hello, Fragments: 3, Damage: DeflateDamage.Rsv1OnContinuation), payload).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(frames.Select(f => (f.Opcode, f.Rsv, f.Fin, f.Payload.Length)), Is.EqualTo(new[] { (Opcode.Text, (byte)4, false, 4L), (Opcode.Continuation, (byte)0, false, 4L), (Opcode.Continuation, (byte)0, true, 2L) }));
            Assert.That(damaged.Select(f => f.Rsv), Is.All.EqualTo((byte)4));
        });
    }

    private sealed class Collect : IInflateSink
    {
        private readonly List<byte> _octets = [];

        public byte[] Octets => [.. _octets];

        public void OnInflated(ReadOnlySpan<byte> octets) => _octets.AddRange(octets.ToArray());
    }
}
