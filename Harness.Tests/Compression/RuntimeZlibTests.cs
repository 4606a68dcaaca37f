using System.IO.Compression;
using Conformance.Cases.Data;
using Conformance.Harness.Wire.Deflate;
using NUnit.Framework;

namespace Conformance.Tests.Compression;

/// <summary>
/// The tester's deflate over the zlib inside .NET's runtime (System.IO.Compression.Native): every agreed
/// window, with and without context takeover, checked by a second decoder (the inspector) for the
/// window and the history each message may use; the window kept across a final block; no system zlib.
/// </summary>
public sealed class RuntimeZlibTests
{
    private sealed class Collect : IInflateSink
    {
        private readonly MemoryStream _octets = new();

        public void OnInflated(ReadOnlySpan<byte> octets) => _octets.Write(octets);

        public byte[] Take()
        {
            var all = _octets.ToArray();
            _octets.SetLength(0);
            return all;
        }
    }

    public static IEnumerable<TestCaseData> WindowsAndTakeover() =>
        from bits in Enumerable.Range(8, 8)
        from takeover in new[] { true, false }
        select new TestCaseData(bits, takeover).SetName($"Window_2^{bits}_{(takeover ? "with" : "without")}_context_takeover");

    [TestCaseSource(nameof(WindowsAndTakeover))]
    public void Messages_round_trip_inside_the_agreed_window_and_history(int bits, bool takeover)
    {
        int window = 1 << bits;
        // Random letters with a repeat inside the message, sent four times: with takeover each copy can
        // refer to the one before (zlib reaches 2^bits − 262 back), without it each stands alone.
        var message = CompressionPayloads.FarRepeat(window / 2, window / 4, window / 8, (ulong)bits).ToArray();
        using var deflater = new RawDeflater(bits);
        using var inflater = new RawInflater(bits);
        var sink = new Collect();
        long history = 0;
        var sizes = new List<int>();

        for (int i = 0; i < 4; i++)
        {
            var payload = deflater.Compress(message);
            sizes.Add(payload.Length);

            var found = DeflateInspector.Inspect(payload, bits, takeover ? history : 0, noContextTakeover: !takeover);
            Assert.That(found.Problem, Is.Null, $"message {i}");
            Assert.That(found.MaxDistance, Is.LessThanOrEqualTo(window), $"message {i}");
            Assert.That(inflater.Feed(payload, sink) ?? inflater.EndMessage(sink, resetContext: !takeover), Is.Null, $"message {i}");
            Assert.That(sink.Take(), Is.EqualTo(message), $"message {i}");

            history += message.Length;
            if (!takeover)
            {
                deflater.Reset();
            }
        }

        if (takeover && bits >= 10) // 2^9 − 262 = 250 octets do not reach back over a 256-octet message
        {
            Assert.That(sizes[1], Is.LessThan(sizes[0] / 2), "with context takeover a repeated message refers back to the one before");
        }
        else if (!takeover)
        {
            Assert.That(sizes.Distinct().Count(), Is.EqualTo(1), "without context takeover every copy is compressed alone, to the same octets");
        }
    }

    [TestCase(70_000)]
    [TestCase(100_000)]
    [TestCase(20_000)]
    public void After_a_final_block_the_last_window_of_a_long_message_is_kept(int length)
    {
        // The first message ends in a final (BFINAL) block, as .NET's DeflateStream writes it; its output wraps the inflater's ring.
        var first = CompressionPayloads.FarRepeat(length, 1, 0, 11).ToArray();
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(first);
        }

        // The second message is the first one's last 20 000 octets: with takeover, all back-references.
        using var deflater = new RawDeflater(15);
        deflater.Compress(first);
        var tail = first.AsSpan(length - 20_000).ToArray();
        var second = deflater.Compress(tail);
        Assert.That(DeflateInspector.Inspect(second, 15, 0, true).Problem, Does.Contain("before the message start"), "the second message needs the first one's window");

        using var inflater = new RawInflater(15);
        var sink = new Collect();
        Assert.That(inflater.Feed(compressed.ToArray(), sink) ?? inflater.EndMessage(sink, resetContext: false), Is.Null);
        Assert.That(sink.Take(), Is.EqualTo(first));
        Assert.That(inflater.Feed(second, sink) ?? inflater.EndMessage(sink, resetContext: false), Is.Null);
        Assert.That(sink.Take(), Is.EqualTo(tail));
    }

    [Test]
    public void No_system_zlib_is_loaded()
    {
        using var deflater = new RawDeflater(15);
        using var inflater = new RawInflater(15);
        var sink = new Collect();
        inflater.Feed(deflater.Compress("no system zlib"u8), sink);
        inflater.EndMessage(sink, resetContext: false);

        Assert.That(sink.Take(), Is.EqualTo("no system zlib"u8.ToArray()));
        if (OperatingSystem.IsLinux())
        {
            var libraries = File.ReadAllLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");
            Assert.That(libraries.Where(path => Path.GetFileName(path).StartsWith("libz.", StringComparison.Ordinal)), Is.Empty);
            Assert.That(libraries.Any(path => path.EndsWith("libSystem.IO.Compression.Native.so", StringComparison.Ordinal)), Is.True);
        }
    }
}
