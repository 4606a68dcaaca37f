using System.Text;
using Conformance.Harness.Wire;
using NUnit.Framework;

namespace Conformance.Tests.Wire;

/// <summary>The one bounded HTTP head reader of both roles: every split of the input, and every way a head can fail to arrive.</summary>
[TestFixture]
public sealed class HttpHeadReaderTests
{
    private const string Head = "GET /runCase?case=1&agent=A HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n";
    private static readonly byte[] Frames = [0x81, 0x02, (byte)'h', (byte)'i'];

    [Test]
    public async Task Every_split_gives_the_head_and_hands_back_what_follows()
    {
        byte[] input = [.. Encoding.ASCII.GetBytes(Head), .. Frames];
        for (int split = 1; split < input.Length; split++)
        {
            var read = await ReadAsync(new ChunkStream(input[..split], input[split..]));
            Assert.That(read.End, Is.EqualTo(HeadEnd.Complete), $"split at {split}");
            Assert.That(Encoding.ASCII.GetString(read.Received), Is.EqualTo(Head), $"split at {split}");
            // The reader stops at the read that completes the head: what that read brought past it is handed back, the rest is still unread.
            int headLength = Head.Length;
            var expected = split >= headLength ? input[headLength..split] : Frames;
            Assert.That(read.Leftover, Is.EqualTo(expected), $"split at {split}: the octets after the head belong to the WebSocket");
        }
    }

    [Test]
    public async Task A_peer_that_closes_early_is_reported_with_what_it_sent()
    {
        var nothing = await ReadAsync(new ChunkStream());
        var half = await ReadAsync(new ChunkStream(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n")));
        Assert.Multiple(() =>
        {
            Assert.That((nothing.End, nothing.Received.Length), Is.EqualTo((HeadEnd.Closed, 0)));
            Assert.That((half.End, Encoding.ASCII.GetString(half.Received)), Is.EqualTo((HeadEnd.Closed, "GET / HTTP/1.1\r\n")));
        });
    }

    [Test]
    public async Task A_head_that_never_ends_is_cut_at_the_limit()
    {
        var endless = Enumerable.Repeat(Encoding.ASCII.GetBytes("X-Long: " + new string('a', 1000) + "\r\n"), 40).ToArray();
        var read = await ReadAsync(new ChunkStream(endless), maxLength: 16 * 1024);
        Assert.That(read.End, Is.EqualTo(HeadEnd.TooLong));
        Assert.That(read.Received.Length, Is.GreaterThan(16 * 1024).And.LessThan(16 * 1024 + 4096 + 1024), "reading stops within one chunk of the limit");
    }

    [Test]
    public async Task A_silent_peer_times_out_and_the_end_of_the_run_is_not_a_timeout()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var read = await HttpHeadReader.ReadAsync(new ChunkStream(Encoding.ASCII.GetBytes("GET")) { StallAtEnd = true }, 1024, deadline.Token, CancellationToken.None);
        Assert.That((read.End, Encoding.ASCII.GetString(read.Received)), Is.EqualTo((HeadEnd.TimedOut, "GET")));

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(async () => await HttpHeadReader.ReadAsync(new ChunkStream { StallAtEnd = true }, 1024, stop.Token, stop.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task A_failing_connection_is_reported_not_thrown()
    {
        var read = await ReadAsync(new ChunkStream(Encoding.ASCII.GetBytes("HTTP/1.1 101")) { FailAtEnd = true });
        Assert.Multiple(() =>
        {
            Assert.That(read.End, Is.EqualTo(HeadEnd.Failed));
            Assert.That(read.Error, Is.InstanceOf<IOException>());
            Assert.That(Encoding.ASCII.GetString(read.Received), Is.EqualTo("HTTP/1.1 101"));
        });
    }

    private static Task<HeadRead> ReadAsync(Stream stream, int maxLength = 16 * 1024) =>
        HttpHeadReader.ReadAsync(stream, maxLength, CancellationToken.None, CancellationToken.None);

    /// <summary>Delivers the given chunks one read at a time, then ends (or stalls, or fails).</summary>
    private sealed class ChunkStream(params byte[][] chunks) : Stream
    {
        private readonly Queue<byte[]> _chunks = new(chunks);

        public bool StallAtEnd { get; init; }

        public bool FailAtEnd { get; init; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_chunks.TryDequeue(out var chunk))
            {
                int n = Math.Min(chunk.Length, buffer.Length);
                chunk.AsMemory(0, n).CopyTo(buffer);
                if (n < chunk.Length)
                {
                    var rest = new Queue<byte[]>([chunk[n..], .. _chunks]);
                    _chunks.Clear();
                    foreach (var c in rest)
                    {
                        _chunks.Enqueue(c);
                    }
                }

                return n;
            }

            if (FailAtEnd)
            {
                throw new IOException("connection reset");
            }

            if (StallAtEnd)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
