using System.Text.Json;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Fuzzing;

/// <summary>
/// The JSON form of a script's actions in finding files (format documented in the README, "Fuzzing"):
/// <c>{"send": {...frame...}}</c>, <c>{"pause": ms}</c>, <c>{"close": {"code": n, "reason": "hex"}}</c>,
/// <c>{"close": {}}</c> (no code), <c>{"closeRaw": "hex"}</c>. A frame is
/// <c>{"opcode", "fin", "rsv", "payload" (hex), "lengthEncoding", "masking", "maskKey" (hex), "writing"
/// ("whole", "frame-per-write" or "chop=N"), "parts" and "pausesMs" (written in parts)}</c>.
/// Generator version 2 adds <c>{"sendDeflated": {...}}</c> and the case's <c>"deflate": {"offers": [...]}</c> (ActionJson.Deflate.cs).
/// </summary>
public static partial class ActionJson
{
    public static void Write(Utf8JsonWriter json, IReadOnlyList<Step> actions)
    {
        json.WriteStartArray();
        foreach (var action in actions)
        {
            json.WriteStartObject();
            switch (action)
            {
                case SendFrame send:
                    json.WritePropertyName("send");
                    WriteFrame(json, send.Frame, send.Writing.ToString(), null);
                    break;
                case SendFrameInParts parts:
                    json.WritePropertyName("send");
                    WriteFrame(json, parts.Frame, "whole", parts);
                    break;
                case Pause pause:
                    json.WriteNumber("pause", pause.Duration.TotalMilliseconds);
                    break;
                case StartClose close:
                    json.WriteStartObject("close");
                    if (close.Code is { } code)
                    {
                        json.WriteNumber("code", code);
                        json.WriteString("reason", Convert.ToHexStringLower(close.Reason?.ToArray() ?? []));
                    }

                    json.WriteEndObject();
                    break;
                case StartCloseRaw raw:
                    json.WriteString("closeRaw", Convert.ToHexStringLower(raw.RawPayload.ToArray()));
                    break;
                case SendDeflated deflated:
                    WriteDeflated(json, deflated);
                    break;
                default:
                    throw new NotSupportedException($"{action.GetType().Name} is not a fuzzing action");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteFrame(Utf8JsonWriter json, Frame frame, string writing, SendFrameInParts? parts)
    {
        json.WriteStartObject();
        json.WriteNumber("opcode", frame.Opcode);
        json.WriteBoolean("fin", frame.Fin);
        json.WriteNumber("rsv", frame.Rsv);
        json.WriteString("payload", Convert.ToHexStringLower(frame.Payload.ToArray()));
        json.WriteString("lengthEncoding", frame.LengthEncoding.ToString());
        json.WriteString("masking", frame.Masking.ToString());
        if (frame.MaskKey is { } key)
        {
            json.WriteString("maskKey", Convert.ToHexStringLower(key));
        }

        json.WriteString("writing", writing);
        if (parts is not null)
        {
            json.WriteStartArray("parts");
            parts.PartLengths.ToList().ForEach(json.WriteNumberValue);
            json.WriteEndArray();
            json.WriteStartArray("pausesMs");
            parts.Pauses.ToList().ForEach(p => json.WriteNumberValue(p.Duration.TotalMilliseconds));
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>Reads actions back; throws <see cref="FormatException"/> with the problem in words.</summary>
    public static IReadOnlyList<Step> Read(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("\"actions\" must be an array");
        }

        return array.EnumerateArray().Select((a, i) => ReadAction(a, i)).ToArray();
    }

    private static Step ReadAction(JsonElement a, int i)
    {
        try
        {
            if (a.TryGetProperty("send", out var send))
            {
                return ReadSend(send);
            }

            if (a.TryGetProperty("pause", out var pause))
            {
                return new Pause(TimeSpan.FromMilliseconds(pause.ValueKind == JsonValueKind.Number ? pause.GetDouble() : throw new FormatException("\"pause\" must be a number of milliseconds")));
            }

            if (a.TryGetProperty("close", out var close))
            {
                return close.TryGetProperty("code", out _)
                    ? new StartClose(close.Ushort("code"), Payload.Of(close.Hex("reason")))
                    : new StartClose();
            }

            if (a.TryGetProperty("closeRaw", out var raw))
            {
                return new StartCloseRaw(Payload.Of(a.Hex("closeRaw")));
            }

            if (a.TryGetProperty("sendDeflated", out var deflated))
            {
                return ReadDeflated(deflated);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            throw new FormatException($"action {i + 1}: {e.Message}");
        }

        throw new FormatException($"action {i + 1}: expected one of send, sendDeflated, pause, close, closeRaw");
    }

    private static Step ReadSend(JsonElement f) => ReadSendRest(f, ReadFrame(f));

    private static Frame ReadFrame(JsonElement f) =>
        new(f.Octet("opcode"), Payload.Of(f.Hex("payload")), f.Flag("fin"), f.Octet("rsv"))
        {
            LengthEncoding = f.Named<LengthEncoding>("lengthEncoding"),
            Masking = f.Named<Masking>("masking"),
            MaskKey = f.TryGetProperty("maskKey", out _) ? f.Hex("maskKey") : null,
        };

    private static Step ReadSendRest(JsonElement f, Frame frame)
    {
        if (f.TryGetProperty("parts", out var parts))
        {
            var pauses = f.Items("pausesMs").Select(p => new Pause(TimeSpan.FromMilliseconds(p.GetDouble()))).ToArray();
            return new SendFrameInParts(frame, f.Items("parts").Select(p => p.GetInt32()).ToArray(), pauses);
        }

        string writing = f.Text("writing");
        return new SendFrame(frame, writing switch
        {
            "whole" => Writing.Whole,
            "frame-per-write" => Writing.FramePerWrite,
            _ when writing.StartsWith("chop=", StringComparison.Ordinal) && int.TryParse(writing[5..], out int n) && n > 0 => Writing.Chop(n),
            _ => throw new FormatException($"unknown writing '{writing}'"),
        });
    }
}
