using System.IO.Compression;
using System.Text;
using Conformance.Cases.Data;
using Conformance.Harness.Wire.Deflate;
using NUnit.Framework;

namespace Conformance.Tests.Compression;

/// <summary>The tester's deflate over the runtime's zlib (RFC 7692 §7.2) and the DEFLATE inspector.</summary>
public sealed class DeflateTests
{
    private sealed class Collect : IInflateSink
    {
        public MemoryStream Octets { get; } = new();

        public void OnInflated(ReadOnlySpan<byte> octets) => Octets.Write(octets);

        public byte[] Take()
        {
            var all = Octets.ToArray();
            Octets.SetLength(0);
            return all;
        }
    }

    private static readonly byte[] Text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"record {i % 37} of the log, value {i * 7 % 101}; ")));

    /// <summary>Random letters: nothing inside repeats, so a second copy can only refer to the first.</summary>
    private static readonly byte[] Letters = CompressionPayloads.FarRepeat(4000, 3999, 0, 7).ToArray();

    [Test]
    public void The_runtimes_zlib_is_there_on_this_machine()
    {
        Assert.That(Zlib.Problem, Is.Null);
        Assert.That(Zlib.Version, Does.Match(@"^\d+\.\d+").And.Contain("zlib-ng"));
    }

    [TestCase(8)]
    [TestCase(9)]
    [TestCase(12)]
    [TestCase(15)]
    public void A_message_compressed_with_a_window_inflates_with_that_window(int bits)
    {
        using var deflater = new RawDeflater(bits);
        using var inflater = new RawInflater(bits);
        var sink = new Collect();

        var payload = deflater.Compress(Text);
        Assert.That(inflater.Feed(payload, sink), Is.Null);
        Assert.That(inflater.EndMessage(sink, resetContext: false), Is.Null);

        Assert.That(sink.Take(), Is.EqualTo(Text));
        Assert.That(payload.AsSpan(payload.Length - 4).SequenceEqual((byte[])[0, 0, 0xFF, 0xFF]), Is.False, "the sync flush's 00 00 ff ff is removed (§7.2.1)");
        Assert.That(DeflateInspector.Inspect(payload, bits, 0, true).MaxDistance, Is.LessThanOrEqualTo(1 << bits), "zlib keeps inside its window");
    }

    [Test]
    public void An_empty_message_compresses_to_the_single_octet_00()
    {
        using var deflater = new RawDeflater(15);

        Assert.That(deflater.Compress([]), Is.EqualTo(new byte[] { 0x00 }), "RFC 7692 §7.2.3.6");
    }

    [Test]
    public void With_context_takeover_a_repeated_message_refers_back_and_still_inflates()
    {
        using var deflater = new RawDeflater(15);
        using var inflater = new RawInflater(15);
        var sink = new Collect();

        var first = deflater.Compress(Letters);
        var second = deflater.Compress(Letters);
        inflater.Feed(first, sink);
        inflater.EndMessage(sink, resetContext: false);
        sink.Take();
        inflater.Feed(second, sink);
        Assert.That(inflater.EndMessage(sink, resetContext: false), Is.Null);

        Assert.That(sink.Take(), Is.EqualTo(Letters));
        Assert.That(second, Has.Length.LessThan(first.Length / 4), "the second message is mostly back-references to the first");
        Assert.That(DeflateInspector.Inspect(second, 15, history: 0, noContextTakeover: true).Problem, Does.Contain("before the message start"));
        Assert.That(DeflateInspector.Inspect(second, 15, history: Letters.Length, noContextTakeover: false).Problem, Is.Null);
    }

    [Test]
    public void After_a_reset_the_next_message_stands_alone()
    {
        using var deflater = new RawDeflater(15);
        deflater.Compress(Text);
        deflater.Reset();

        var second = deflater.Compress(Text);

        Assert.That(DeflateInspector.Inspect(second, 15, history: 0, noContextTakeover: true).Problem, Is.Null);
    }

    [TestCase("f248cdc9c90700", "RFC 7692 §7.2.3.1")]
    [TestCase("000500faff48656c6c6f00", "§7.2.3.3 stored block")]
    [TestCase("f348cdc9c90700", "§7.2.3.4 BFINAL")]
    [TestCase("f248050000" + "00ffffcac9c90700", "§7.2.3.5 two blocks")]
    [TestCase("f248cdc9c907000000ffff00", "§7.2.3.6 empty final fragment appended")]
    public void The_RFCs_examples_inflate_to_Hello(string hex, string example)
    {
        using var inflater = new RawInflater(15);
        var sink = new Collect();

        Assert.That(inflater.Feed(Convert.FromHexString(hex), sink), Is.Null, example);
        Assert.That(inflater.EndMessage(sink, resetContext: false), Is.Null, example);

        Assert.That(Encoding.ASCII.GetString(sink.Take()), Is.EqualTo("Hello"), example);
        Assert.That(DeflateInspector.Inspect(Convert.FromHexString(hex), 15, 0, true), Is.EqualTo(new DeflateFindings(5, 0, null)), example);
    }

    [Test]
    public void After_a_final_block_the_window_is_kept_for_the_next_message_with_context_takeover()
    {
        using var inflater = new RawInflater(15);
        var sink = new Collect();
        inflater.Feed(Convert.FromHexString("f348cdc9c90700"), sink); // "Hello", BFINAL
        inflater.EndMessage(sink, resetContext: false);
        sink.Take();

        // "Hello" again as one back-reference: length 5, distance 5 (fixed Huffman).
        using var deflater = new RawDeflater(15);
        deflater.Compress(Encoding.ASCII.GetBytes("Hello"));
        var again = deflater.Compress(Encoding.ASCII.GetBytes("Hello"));
        Assert.That(inflater.Feed(again, sink), Is.Null);
        Assert.That(inflater.EndMessage(sink, resetContext: false), Is.Null);

        Assert.That(Encoding.ASCII.GetString(sink.Take()), Is.EqualTo("Hello"));
    }

    [TestCase("0600", "invalid block type")]
    [TestCase("000500050048656c6c6f", "invalid stored block lengths")]
    public void Corrupt_data_is_an_error_in_words(string hex, string zlibSays)
    {
        using var inflater = new RawInflater(15);
        var sink = new Collect();

        string? error = inflater.Feed(Convert.FromHexString(hex), sink) ?? inflater.EndMessage(sink, false);

        Assert.That(error, Does.Contain(zlibSays));
        Assert.That(DeflateInspector.Inspect(Convert.FromHexString(hex), 15, 0, true).Problem, Does.StartWith("invalid DEFLATE data"));
    }

    [Test]
    public void A_reference_before_any_data_is_refused_by_zlib_and_the_inspector()
    {
        var payload = CompressionPayloads.DistanceTooFarBack().ToArray();
        using var inflater = new RawInflater(15);
        var sink = new Collect();

        string? error = inflater.Feed(payload, sink) ?? inflater.EndMessage(sink, false);

        Assert.That(error, Does.Contain("too far back"));
        Assert.That(DeflateInspector.Inspect(payload, 15, 0, false).Problem, Does.Contain("before any data"));
    }

    [Test]
    public void A_window_larger_than_agreed_is_seen_by_the_inspector_though_zlib_inflates_it()
    {
        // 700-octet blocks repeated at once: a 2^15 compressor refers 700 back, beyond a 2^9 window.
        var message = CompressionPayloads.RepeatedBlocks(700, 6, 1).ToArray();
        using var big = new RawDeflater(15);
        var payload = big.Compress(message);
        using var inflater = new RawInflater(9);
        var sink = new Collect();
        string? zlib = inflater.Feed(payload, sink) ?? inflater.EndMessage(sink, false);

        var found = DeflateInspector.Inspect(payload, 9, 0, true);

        Assert.That(found.Problem, Does.Contain("beyond the agreed window of 512 octets"));
        Assert.That(found.MaxDistance, Is.GreaterThan(512));
        TestContext.Out.WriteLine($"zlib with a 2^9 window said: {zlib ?? "nothing (it inflated the data)"}");
    }

    [Test]
    public void The_inspector_agrees_with_dotnet_deflate_output_on_every_data_set()
    {
        foreach (var data in DataSets.All)
        {
            var message = data.Message(20_000, 3);
            using var compressed = new MemoryStream();
            using var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
            deflate.Write(message);
            deflate.Flush(); // a sync flush: ends in 00 00 ff ff
            var output = compressed.ToArray();
            Assert.That(output.AsSpan(output.Length - 4).SequenceEqual((byte[])[0, 0, 0xFF, 0xFF]), Is.True, data.Key);
            var payload = output.AsSpan(..^4).ToArray();
            var found = DeflateInspector.Inspect(payload, 15, 0, true);

            Assert.That(found.Problem, Is.Null, data.Key);
            Assert.That(found.Produced, Is.EqualTo(message.Length), data.Key);
        }
    }

    [TestCase(9)]
    [TestCase(15)]
    public void Data_set_messages_built_from_cached_pieces_inflate_to_exactly_the_message(int bits)
    {
        using var deflater = new RawDeflater(bits);
        using var inflater = new RawInflater(bits);
        var sink = new Collect();
        foreach (var data in DataSets.All)
        {
            foreach (int units in new[] { 16, 8192, 16384, 65536 + 8192 + 100, 131072 })
            {
                foreach (int index in new[] { 0, 1, 2, 7, 999 })
                {
                    var payload = DataSetCompressor.Compress(data, units, index, deflater);
                    Assert.That(inflater.Feed(payload, sink) ?? inflater.EndMessage(sink, resetContext: false), Is.Null, $"{data.Key} {units} #{index}");
                    Assert.That(sink.Take().AsSpan().SequenceEqual(data.Message(units, index)), Is.True, $"{data.Key} {units} #{index}");
                    var found = DeflateInspector.Inspect(payload, bits, 0, true);
                    Assert.That(found.Problem, Is.Null, $"{data.Key} {units} #{index}: pieces refer only inside themselves");
                }
            }
        }
    }
}
