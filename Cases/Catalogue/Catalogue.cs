using System.Security.Cryptography;
using System.Text;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

/// <summary>Every case the harness knows, in numeric ID order, and a version hash over their definitions.</summary>
public static class Catalogue
{
    private const string Autobahn = "Autobahn|Testsuite";
    private const string Ours = "this harness (not in Autobahn)";

    public static IReadOnlyList<CategoryInfo> Categories { get; } =
    [
        new(1, "Framing", Autobahn, Framing.Build),
        new(2, "Pings/Pongs", Autobahn, PingPong.Build),
        new(3, "Reserved Bits", Autobahn, ReservedBits.Build),
        new(4, "Opcodes", Autobahn, Opcodes.Build),
        new(5, "Fragmentation", Autobahn, Fragmentation.Build),
        new(6, "UTF-8 Handling", Autobahn, Utf8.Build),
        new(7, "Close Handling", Autobahn, Closing.Build),
        new(9, "Limits/Performance", Autobahn, Limits.Build),
        new(10, "Misc", Autobahn, Misc.Build),
        new(11, "Masking", Ours, () => Masking.Build().Concat(MaskingKeys.Build())),
        new(12, "WebSocket Compression (different payloads)", Autobahn, Compression.BuildCategory12),
        new(13, "WebSocket Compression (different parameters)", Autobahn, Compression.BuildCategory13),
        new(14, "WebSocket Compression (negotiation and framing rules)", Ours, CompressionChecks.Build),
        new(15, "Opening Handshake", Ours, Handshake.Build),
    ];

    private static readonly Lazy<IReadOnlyList<Case>> _all = new(() =>
        Categories.SelectMany(c => c.Build()).OrderBy(c => c.Id).ToArray());

    private static readonly Lazy<string> _version = new(ComputeVersion);

    public static IReadOnlyList<Case> All => _all.Value;

    /// <summary>The first 12 hex digits of a SHA-256 over every case's definition (IDs, texts, scripts, expectations) and the declared hashes of the data sets.</summary>
    public static string Version => _version.Value;

    public static CategoryInfo? CategoryOf(int number) => Categories.FirstOrDefault(c => c.Number == number);

    public static Case? Find(string id) => All.FirstOrDefault(c => c.Id.Text == id);

    private static string ComputeVersion()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var @case in All)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(CaseDefinition.Canonical(@case)));
        }

        // The data sets' content, by the hashes they are checked against when generated (generating them here would cost every run).
        foreach (var data in Data.DataSets.All)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(data.Describe() + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
