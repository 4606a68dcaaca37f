using System.Text;
using Conformance.Harness.Cli;
using Conformance.Harness.Running;
using Conformance.Harness.Wire;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using static Conformance.Tests.Hostile.HostileClient;

namespace Conformance.Tests.Hostile;

/// <summary>
/// Issue 13.8 and the request-head points of 13.10: what a client puts in its request head. Octets that can never be a
/// request are answered at once with what they are, the head limit is exact however the octets arrive, raw UTF-8 is
/// refused for what it is, and whatever a peer sends reaches the console escaped as in the HTML report.
/// </summary>
public sealed class RequestHeadTests
{
    private static readonly Timers Default = new();

    /// <summary>Answered "at once": well inside the open-handshake timer the old code waited out.</summary>
    private static TimeSpan AtOnce => Default.Scaled(Default.OpenHandshake) / 2;

    [Test]
    public async Task A_bare_LF_request_is_answered_at_once_with_what_it_is()
    {
        await using var server = Start();
        var (response, took) = await RawRequestAsync(server.Port, Encoding.ASCII.GetBytes("GET /getCaseCount HTTP/1.1\nHost: x\n\n"), Slack + Default.OpenHandshake);

        Assert.That(response, Does.StartWith("HTTP/1.1 400"));
        Assert.That(response, Does.Contain("bare LF"));
        Assert.That(took, Is.LessThan(AtOnce));
    }

    [Test]
    public async Task A_TLS_ClientHello_on_the_plain_port_is_answered_at_once_with_what_it_is()
    {
        await using var server = Start();
        byte[] clientHello = [0x16, 0x03, 0x01, 0x00, 0xF4, 0x01, 0x00, 0x00, 0xF0, 0x03, 0x03, .. new byte[32]];
        var (response, took) = await RawRequestAsync(server.Port, clientHello, Slack + Default.OpenHandshake);

        Assert.That(response, Does.Contain("TLS handshake"));
        Assert.That(response, Does.Contain("ws://, not wss://"));
        Assert.That(took, Is.LessThan(AtOnce));
    }

    [TestCase(ServerHandshake.MaxRequestHeadLength, false)]
    [TestCase(ServerHandshake.MaxRequestHeadLength + 1, true)]
    [TestCase(ServerHandshake.MaxRequestHeadLength + 4000, true)]
    public async Task The_head_limit_is_exact_even_in_one_write(int headLength, bool refused)
    {
        await using var server = Start();
        var (response, _) = await RawRequestAsync(server.Port, HeadOf(headLength), Slack + Default.OpenHandshake);

        Assert.That(response.StartsWith("HTTP/1.1 431", StringComparison.Ordinal), Is.EqualTo(refused), response.Split('\r')[0]);
    }

    [Test]
    public async Task Raw_UTF8_in_the_query_is_refused_for_what_it_is()
    {
        await using var server = Start();
        byte[] request = [.. Encoding.ASCII.GetBytes("GET /runCase?case=1&agent="), .. Encoding.UTF8.GetBytes("Zürich€"), .. Encoding.ASCII.GetBytes(" HTTP/1.1\r\nHost: x\r\n\r\n")];
        var (response, _) = await RawRequestAsync(server.Port, request, Slack);

        Assert.That(response, Does.StartWith("HTTP/1.1 400"));
        Assert.That(response, Does.Contain("raw non-ASCII octets"));
        Assert.That(response, Does.Not.Contain("control characters"));
    }

    [Test]
    public async Task Escape_sequences_in_a_request_path_reach_the_log_but_not_the_terminal()
    {
        var log = new List<string>();
        await using (var server = Start(log: log))
        {
            await RawRequestAsync(server.Port, Encoding.Latin1.GetBytes("GET /\u001b]0;pwned\u0007\u001b[2J HTTP/1.1\r\nHost: x\r\n\r\n"), Slack);
        }

        string line;
        lock (log)
        {
            line = log.Single(l => l.Contains("pwned", StringComparison.Ordinal));
        }

        string shown = Format(line);
        Assert.That(shown, Does.Contain("\\x1b]0;pwned\\x07\\x1b[2J"), "shown as the HTML report shows it");
        Assert.That(shown.TrimEnd('\n', '\r').Any(char.IsControl), Is.False, "no control character reaches the console");
    }

    [Test]
    public void The_console_formatter_escapes_every_control_character_and_keeps_the_simple_layout()
    {
        string shown = Format("agent \u001b[31mred\u001b[0m\r\nfake: line\u0007 \u202Egnp.exe");

        Assert.That(shown, Is.EqualTo("warn: wsconf[0] agent \\x1b[31mred\\x1b[0m\\x0d\\x0afake: line\\x07 \\u202Egnp.exe" + Environment.NewLine));
    }

    private static string Format(string message)
    {
        var formatter = new EscapingConsoleFormatter();
        using var text = new StringWriter();
        var entry = new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(LogLevel.Warning, "wsconf", new EventId(0), message, null, (s, _) => s);
        formatter.Write(entry, null, text);
        return text.ToString();
    }

    /// <summary>A request head of exactly <paramref name="length"/> octets (a padding header fills it), in one array: one write.</summary>
    private static byte[] HeadOf(int length)
    {
        const string Start = "GET /nothing HTTP/1.1\r\nHost: x\r\nX-Pad: ";
        const string End = "\r\n\r\n";
        return Encoding.ASCII.GetBytes(Start + new string('a', length - Start.Length - End.Length) + End);
    }

}
