namespace Conformance.Harness.Running;

/// <summary>
/// The timers of a run. Case timers (K, C, W) come from the case; these are the library-level
/// ones (spec §0.4). Every one of them is multiplied by <see cref="Scale"/>.
/// </summary>
internal sealed record Timers
{
    public double Scale { get; init; } = 1.0;

    public TimeSpan OpenHandshake { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After the tester sends a close, how long it waits for the peer's close before dropping TCP.</summary>
    public TimeSpan CloseHandshake { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After the closing handshake, how long the tester (as client) waits for the server to close TCP (RFC 6455 §7.1.1).</summary>
    public TimeSpan ServerDrop { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Scaled(TimeSpan value) => TimeSpan.FromTicks((long)(value.Ticks * Scale));
}
