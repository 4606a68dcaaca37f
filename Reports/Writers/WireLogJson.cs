using System.Text.Json.Nodes;
using Conformance.Reports.Model;

namespace Conformance.Reports.Writers;

/// <summary>
/// The per-case <c>wirelog</c> as objects rather than Autobahn's positional tuples:
/// <c>{"t": 12.345, "dir": "tx"|"rx"|"local", "frame": {…}}</c> or <c>{"t", "dir", "note": "…"}</c>.
/// </summary>
public static class WireLogJson
{
    public static JsonArray Build(IEnumerable<WireEntry> entries) => new([.. entries.Select(Entry)]);

    private static JsonNode Entry(WireEntry entry)
    {
        var line = new JsonObject
        {
            ["t"] = AutobahnJson.ThreeDecimals(entry.TimeMs),
            ["dir"] = Direction(entry.Direction),
        };
        if (entry.Frame is { } frame)
        {
            line["frame"] = Frame(frame);
        }

        if (entry.Note is { } note)
        {
            line["note"] = note;
        }

        return line;
    }

    private static string Direction(WireDirection direction) => direction switch
    {
        WireDirection.Tx => "tx",
        WireDirection.Rx => "rx",
        WireDirection.Local => "local",
        _ => direction.ToString().ToLowerInvariant(),
    };

    private static JsonObject Frame(WireFrame frame) => new()
    {
        ["opcode"] = frame.Opcode,
        ["opcodeName"] = frame.OpcodeName,
        ["fin"] = frame.Fin,
        ["rsv"] = frame.Rsv,
        ["masked"] = frame.Masked,
        ["maskKey"] = frame.MaskKey,
        ["payloadLength"] = frame.PayloadLength,
        ["payloadText"] = frame.PayloadText,
        ["payloadHex"] = frame.PayloadHex,
        ["payloadCut"] = frame.PayloadCut,
        ["raw"] = frame.RawHex,
        ["writing"] = frame.Writing,
    };
}
