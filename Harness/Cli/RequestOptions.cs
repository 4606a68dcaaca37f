using System.CommandLine;
using Conformance.Harness.Handshake;
using Conformance.Harness.Running;

namespace Conformance.Harness.Cli;

/// <summary><c>--header</c>, <c>--origin</c> and <c>--protocol</c> of test-server: fields added to the opening handshake of every case.</summary>
internal sealed class RequestOptions
{
    private readonly Option<string[]> _headers = new("--header", "-H") { Description = "Add 'Name: value' to every opening handshake request (repeatable), e.g. for authentication" };
    private readonly Option<string?> _origin = new("--origin") { Description = "Send this Origin (e.g. https://example.com) in every opening handshake" };
    private readonly Option<string[]> _protocols = new("--protocol") { Description = "Offer this subprotocol in every opening handshake (repeatable; Sec-WebSocket-Protocol)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_headers);
        command.Options.Add(_origin);
        command.Options.Add(_protocols);
    }

    /// <summary>The targets with the command line's fields: headers are added, an origin or subprotocols given here replace the spec's.</summary>
    public IReadOnlyList<ServerTarget> Apply(ParseResult parse, IReadOnlyList<ServerTarget> targets)
    {
        var headers = (parse.GetValue(_headers) ?? []).Select(text => RequestFields.ParseHeader(text, out string? error) ?? throw new UsageException(error!)).ToArray();
        string? origin = parse.GetValue(_origin);
        string[] protocols = parse.GetValue(_protocols) ?? [];
        return targets.Select(t => Checked(t with
        {
            Headers = [.. t.Headers, .. headers],
            Origin = origin ?? t.Origin,
            Protocols = protocols.Length > 0 ? protocols : t.Protocols,
        }, "the request options (--header, --origin, --protocol or the spec's servers[])")).ToArray();
    }

    /// <summary>The target, when its origin, subprotocols and header fields can be sent; else a usage error naming where they came from.</summary>
    public static ServerTarget Checked(ServerTarget target, string source)
    {
        string? error = (target.Origin is { } origin ? RequestFields.CheckOrigin(origin) : null)
                        ?? target.Protocols.Select(RequestFields.CheckProtocol).FirstOrDefault(e => e is not null)
                        ?? target.Headers.Select(h => RequestFields.CheckHeader(h.Key, h.Value)).FirstOrDefault(e => e is not null);
        return error is null ? target : throw new UsageException($"{source}: {error}");
    }
}
