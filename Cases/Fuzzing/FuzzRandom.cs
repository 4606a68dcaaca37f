namespace Conformance.Cases.Fuzzing;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): the generator's own PRNG, so that (version, seed, index)
/// gives the same case on any machine and any .NET version. <see cref="System.Random"/> is never
/// used: its algorithm is not part of its contract.
/// </summary>
public sealed class FuzzRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed;

    /// <summary>The stream for one case: the three inputs mixed so that neighbouring indices are unrelated.</summary>
    public static FuzzRandom For(int version, ulong seed, long index) =>
        new(Mix(Mix(seed ^ ((ulong)version << 56)) ^ Mix((ulong)index + Gamma)));

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, bound) by rejection (no modulo bias).</summary>
    public int Below(int bound)
    {
        if (bound <= 1)
        {
            return 0;
        }

        ulong limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
        ulong x;
        do
        {
            x = NextULong();
        }
        while (x >= limit);
        return (int)(x % (ulong)bound);
    }

    /// <summary>Uniform in [min, max].</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Percent(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)NextULong();
        }
    }

    public byte[] Octets(int length)
    {
        var octets = new byte[length];
        Fill(octets);
        return octets;
    }

    /// <summary>
    /// A size with a skewed distribution: mostly small, sometimes near the frame-length boundaries
    /// (125/126, 65535/65536), rarely large.
    /// </summary>
    public int Size(int max)
    {
        int roll = Below(100);
        int size = roll switch
        {
            < 15 => 0,
            < 60 => Between(1, 32),
            < 80 => Between(33, 300),
            < 88 => Between(120, 130),
            < 96 => Between(301, 4096),
            < 98 => Between(65_530, 65_540),
            _ => Between(4097, 70_000),
        };
        return Math.Min(size, max);
    }
}
