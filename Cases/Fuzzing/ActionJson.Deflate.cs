using System.Text.Json;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// The permessage-deflate parts of a finding file: <c>{"sendDeflated": {"opcode", "message" (hex), "blocks" ("Compressed",
/// "Stored" or "Final"), "fragments", "damage" ("None", "ReservedBlockType", "BadStoredLength", "Rsv1OnContinuation"),
/// "between": [frames as in "send"]}}</c>, and the case's offers, <c>"deflate": {"offers": ["permessage-deflate; …"]}</c>.
/// </summary>
public static partial class ActionJson
{
    private static void WriteDeflated(Utf8JsonWriter json, SendDeflated deflated)
    {
        json.WriteStartObject("sendDeflated");
        json.WriteNumber("opcode", deflated.Opcode);
        json.WriteString("message", Convert.ToHexStringLower(deflated.Message.ToArray()));
        json.WriteString("blocks", deflated.Blocks.ToString());
        json.WriteNumber("fragments", deflated.Fragments);
        json.WriteString("damage", deflated.Damage.ToString());
        json.WriteStartArray("between");
        foreach (var frame in deflated.Between)
        {
            WriteFrame(json, frame, "whole", null);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static SendDeflated ReadDeflated(JsonElement d) =>
        new(d.Octet("opcode"), Payload.Of(d.Hex("message")), d.Named<DeflateBlocks>("blocks"), d.Int("fragments"), d.Named<DeflateDamage>("damage"))
        {
            Between = d.TryGetProperty("between", out _) ? d.Items("between").Select(ReadFrame).ToArray() : [],
        };

    /// <summary>Writes the case's offers (nothing for a case without permessage-deflate).</summary>
    public static void WriteDeflate(Utf8JsonWriter json, DeflateSetup? deflate)
    {
        if (deflate is null)
        {
            return;
        }

        json.WriteStartObject("deflate");
        json.WriteStartArray("offers");
        deflate.Offers.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The fuzzer's setup for the offers of a finding file, or null when it has none.</summary>
    public static DeflateSetup? ReadDeflate(JsonElement root) =>
        root.TryGetProperty("deflate", out var deflate) && deflate.ValueKind == JsonValueKind.Object
            ? DeflateOffer.SetupFor(deflate.Items("offers").Select(o => o.ValueKind == JsonValueKind.String ? o.GetString()! : throw new FormatException("\"offers\" must be strings")).ToArray())
            : null;
}
