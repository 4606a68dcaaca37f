using Conformance.Cases.Protocol;

namespace Conformance.Harness.Handshake;

/// <summary>The value of <see cref="Cases.Scripting.HandshakeTokens.UnofferedDeflate"/>: a permessage-deflate response the client's offers do not allow.</summary>
internal static class UnofferedDeflate
{
    /// <summary>A parameter no permessage-deflate response may carry (RFC 7692 §7 defines only four).</summary>
    public const string UnknownParameter = "x_wsconf_unoffered";

    /// <summary>
    /// The client's first valid permessage-deflate offer accepted as §7.1 would have it, plus <see cref="UnknownParameter"/>;
    /// the bare extension name when the client offered no valid permessage-deflate (then the extension itself was not offered).
    /// </summary>
    public static string For(string? offerHeader)
    {
        var elements = ExtensionHeader.Parse(offerHeader, out _) ?? [];
        foreach (var element in elements)
        {
            if (element.Name.Equals(PerMessageDeflate.Name, StringComparison.OrdinalIgnoreCase) && PerMessageDeflate.Parse(element, isResponse: false, out _) is { } offer)
            {
                var accepted = new DeflateParameters { ServerNoContextTakeover = offer.ServerNoContextTakeover, ServerMaxWindowBits = offer.ServerMaxWindowBits };
                return $"{accepted}; {UnknownParameter}";
            }
        }

        return PerMessageDeflate.Name;
    }
}
