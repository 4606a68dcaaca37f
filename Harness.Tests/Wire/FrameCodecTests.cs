using Conformance.Cases.Protocol;
using Conformance.Cases.Scripting;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;
using NUnit.Framework;

namespace Conformance.Tests.Wire;

/// <summary>What a decoder reported, as comparable text: one line per frame start, payload and end.</summary>
internal sealed class RecordingSink : IFrameSink
{
    private readonly List<string> _events = [];
    private readonly List<byte> _payload = [];
    private FrameHeader _header;

    public IReadOnlyList<string> Events => _events;

    public List<(FrameHeader Header, byte[] Payload)> Frames { get; } = [];

    public void OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader)
    {
        _header = header;
        _payload.Clear();
        _events.Add($"start {header} raw={Convert.ToHexStringLower(rawHeader)}");
    }

    public void OnPayload(ReadOnlySpan<byte> payload) => _payload.AddRange(payload.ToArray());

    public void OnFrameEnd()
    {
        // Payload chunks depend on the split; only the whole payload is compared.
        _events.Add($"end payload={Convert.ToHexStringLower(_payload.ToArray())}");
        Frames.Add((_header, _payload.ToArray()));
    }
}

[TestFixture]
public class FrameCodecTests
{
    private static readonly MaskKeySource Keys = new();

    private static byte[] Encode(Frame frame, bool testerIsServer)
    {
        var prepared = PreparedFrame.For(frame, testerIsServer, Keys);
        var octets = new byte[prepared.TotalLength];
        prepared.CopyTo(0, octets);
        return octets;
    }

    private static RecordingSink Decode(params byte[][] chunks)
    {
        var sink = new RecordingSink();
        var decoder = new FrameDecoder(sink);
        foreach (var chunk in chunks)
        {
            decoder.Feed(chunk);
        }

        Assert.That(decoder.Error, Is.Null);
        return sink;
    }

    public static IEnumerable<TestCaseData> Frames()
    {
        foreach (long length in new long[] { 0, 1, 13, 125, 126, 127, 128, 65535, 65536, 70000 })
        {
            yield return new TestCaseData(Opcode.Text, true, (byte)0, length, LengthEncoding.Minimal).SetName($"text length {length}");
        }

        yield return new TestCaseData(Opcode.Continuation, false, (byte)7, 20L, LengthEncoding.Minimal).SetName("continuation, FIN clear, all RSV bits");
        yield return new TestCaseData((byte)0xB, true, (byte)0, 3L, LengthEncoding.Minimal).SetName("reserved control opcode 11");
        yield return new TestCaseData(Opcode.Binary, true, (byte)4, 5L, LengthEncoding.Forced16).SetName("non-minimal 16-bit length");
        yield return new TestCaseData(Opcode.Binary, true, (byte)0, 5L, LengthEncoding.Forced64).SetName("non-minimal 64-bit length");
    }

    [TestCaseSource(nameof(Frames))]
    public void A_frame_round_trips_masked_and_unmasked(byte opcode, bool fin, byte rsv, long length, LengthEncoding encoding)
    {
        var payload = Payload.Repeat("BAsd7&jh23", length);
        var frame = new Frame(opcode, payload, fin, rsv) { LengthEncoding = encoding };
        foreach (bool testerIsServer in new[] { false, true })
        {
            var decoded = Decode(Encode(frame, testerIsServer)).Frames.Single();
            Assert.Multiple(() =>
            {
                Assert.That(decoded.Header.Opcode, Is.EqualTo(opcode));
                Assert.That(decoded.Header.Fin, Is.EqualTo(fin));
                Assert.That(decoded.Header.Rsv, Is.EqualTo(rsv));
                Assert.That(decoded.Header.Masked, Is.EqualTo(!testerIsServer), "a client masks, a server does not (RFC 6455 §5.1)");
                Assert.That(decoded.Header.PayloadLength, Is.EqualTo((ulong)length));
                Assert.That(decoded.Header.MinimalLength, Is.EqualTo(encoding == LengthEncoding.Minimal));
                Assert.That(decoded.Payload, Is.EqualTo(payload.ToArray()), "the decoder unmasks");
            });
        }
    }

    [Test]
    public void Every_split_of_a_stream_decodes_the_same()
    {
        byte[] stream =
        [
            .. Encode(Frame.Text("Hello, world!"), testerIsServer: false),
            .. Encode(new Frame(Opcode.Binary, Payload.Repeat(0xFE, 300)), testerIsServer: false),
            .. Encode(Frame.Ping(Payload.Text("ping")), testerIsServer: true),
            .. Encode(new Frame(Opcode.Text, Payload.Empty), testerIsServer: false),
            .. Encode(new Frame(Opcode.Close, Payload.Hex("03e8")), testerIsServer: true),
        ];
        var whole = Decode(stream).Events;
        Assert.That(whole.Count(e => e.StartsWith("start", StringComparison.Ordinal)), Is.EqualTo(5));

        for (int i = 0; i <= stream.Length; i++)
        {
            Assert.That(Decode(stream[..i], stream[i..]).Events, Is.EqualTo(whole), $"split at {i}");
        }

        Assert.That(Decode(stream.Select(b => new[] { b }).ToArray()).Events, Is.EqualTo(whole), "one octet at a time");
    }

    [Test]
    public void A_64_bit_length_with_the_top_bit_set_is_an_error_and_nothing_is_buffered()
    {
        var announced = Encode(new Frame(Opcode.Binary, Payload.Of(1, 2, 3)) { LengthEncoding = LengthEncoding.Forced64TopBit }, testerIsServer: true);
        var sink = new RecordingSink();
        var decoder = new FrameDecoder(sink);
        decoder.Feed(announced);
        Assert.That(decoder.Error, Does.Contain("most significant bit"));
    }

    [Test]
    public void A_frame_announcing_2_to_the_63_minus_1_octets_streams_without_buffering()
    {
        byte[] header = [0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        var counting = new CountingSink();
        var decoder = new FrameDecoder(counting);
        decoder.Feed(header);
        var chunk = new byte[64 * 1024];
        for (int i = 0; i < 100; i++)
        {
            decoder.Feed(chunk);
        }

        Assert.Multiple(() =>
        {
            Assert.That(decoder.Error, Is.Null);
            Assert.That(counting.Length, Is.EqualTo(long.MaxValue));
            Assert.That(counting.Received, Is.EqualTo(100L * chunk.Length));
            Assert.That(decoder.AtFrameBoundary, Is.False);
        });
    }

    [Test]
    public void Masking_matches_the_definition_at_every_offset()
    {
        var data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        const uint key = 0x37FA213D;
        byte[] keyOctets = [0x37, 0xFA, 0x21, 0x3D];
        for (int offset = 0; offset < 8; offset++)
        {
            for (int length = 0; length < data.Length - offset; length += 7)
            {
                var masked = data.AsSpan(offset, length).ToArray();
                Masker.Apply(masked, key, offset);
                var expected = Enumerable.Range(0, length).Select(i => (byte)(data[offset + i] ^ keyOctets[(offset + i) % 4])).ToArray();
                Assert.That(masked, Is.EqualTo(expected), $"offset {offset}, length {length}");
            }
        }
    }

    private sealed class CountingSink : IFrameSink
    {
        public long Length { get; private set; }

        public long Received { get; private set; }

        public void OnFrameStart(in FrameHeader header, ReadOnlySpan<byte> rawHeader) => Length = (long)header.PayloadLength;

        public void OnPayload(ReadOnlySpan<byte> payload) => Received += payload.Length;

        public void OnFrameEnd()
        {
        }
    }
}
