using System.Text;
using System.Text.Json.Nodes;
using Conformance.Reports.Model;

namespace Conformance.Reports.Reading;

/// <summary>Autobahn's positional wire-log entries (spec §2.6): RO/TO octets, RF/TF frames, timers. It records no times.</summary>
internal static class AutobahnWireLog
{
    private const string Cut = " ...";

    public static WireEntry Entry(JsonArray entry)
    {
        string tag = entry.Count > 0 ? Json.Describe(entry[0]) : "";
        JsonNode? At(int i) => i < entry.Count ? entry[i] : null;
        string Text(int i) => Json.Describe(At(i));
        return tag switch
        {
            "RO" => Octets(WireDirection.Rx, "octets received", At(1)),
            "TO" => Octets(WireDirection.Tx, "octets sent", At(1)),
            "RF" => Frame(WireDirection.Rx, At(1), At(2), At(3), At(4), masked: At(5) is JsonValue m && m.TryGetValue(out bool b) && b, mask: At(6), repeat: null),
            "TF" => Frame(WireDirection.Tx, At(1), At(2), At(3), At(4), masked: At(5) is JsonValue, mask: At(5), repeat: At(6)),
            "CT" => Note($"pause {Text(1)} s armed ({Text(2)})"),
            "CTE" => Note($"pause over ({Text(1)})"),
            "KL" => Note($"fail the connection after {Text(1)} s"),
            "KLE" => Note("failing the connection"),
            "TI" => Note($"close the connection after {Text(1)} s"),
            "TIE" => Note("closing the connection"),
            "WLM" => Note(At(1) is JsonValue on && on.TryGetValue(out bool enabled) && enabled ? "wire log switched on" : "wire log switched off"),
            _ => Note(entry.ToJsonString()),
        };
    }

    private static WireEntry Note(string text) => WireEntry.ForNote(double.NaN, WireDirection.Local, text);

    private static WireEntry Octets(WireDirection direction, string what, JsonNode? data)
    {
        string length = data is JsonArray pair && pair.Count > 0 ? Json.Describe(pair[0]) : "?";
        string hex = data is JsonArray p && p.Count > 1 ? Json.Describe(p[1]) : "";
        return WireEntry.ForNote(double.NaN, direction, $"{length} {what}: {hex}");
    }

    private static WireEntry Frame(WireDirection direction, JsonNode? payload, JsonNode? opcode, JsonNode? fin, JsonNode? rsv, bool masked, JsonNode? mask, JsonNode? repeat)
    {
        var pair = payload as JsonArray ?? [];
        double length = Json.Number(repeat) ?? (pair.Count > 0 ? Json.Number(pair[0]) : null) ?? 0;
        string text = pair.Count > 1 ? Json.Describe(pair[1]) : "";
        bool cut = text.EndsWith(Cut, StringComparison.Ordinal);
        if (cut)
        {
            text = text[..^Cut.Length];
        }

        bool binary = text.StartsWith("0x", StringComparison.Ordinal) && text.Length % 2 == 0 && text[2..].All(char.IsAsciiHexDigit);
        string hex = binary ? text[2..].ToLowerInvariant() : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
        int op = (int)(Json.Number(opcode) ?? 0);
        return new WireEntry(double.NaN, direction, new WireFrame
        {
            Opcode = op,
            OpcodeName = op switch { 0 => "CONT", 1 => "TEXT", 2 => "BINARY", 8 => "CLOSE", 9 => "PING", 10 => "PONG", _ => "RESERVED" },
            Fin = fin is JsonValue f && f.TryGetValue(out bool isFin) && isFin,
            Rsv = (int)(Json.Number(rsv) ?? 0),
            Masked = masked,
            MaskKey = mask is JsonValue k && k.TryGetValue(out string? key) ? key : null,
            PayloadLength = (long)length,
            PayloadText = binary ? null : text,
            PayloadHex = hex,
            PayloadCut = cut || hex.Length / 2 < length,
            RawHex = "",
        }, null);
    }
}
