namespace Conformance.Harness.Targets;

/// <summary>
/// The browser client driver (<c>browser-driver.html</c>, embedded in the harness): a page that runs
/// Autobahn's driver sequence with the browser's own WebSocket client. <c>test-client</c> serves it at <c>/</c>.
/// </summary>
internal static class BrowserDriverPage
{
    public const string ResourceName = "browser-driver.html";

    private static readonly Lazy<byte[]> _octets = new(Load);

    public static byte[] Octets => _octets.Value;

    private static byte[] Load()
    {
        using var stream = typeof(BrowserDriverPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing from the harness");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
