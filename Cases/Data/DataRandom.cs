namespace Conformance.Cases.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator whose output is fixed by
/// its definition, not by a runtime version, so the data sets are the same octets everywhere.
/// </summary>
internal sealed class DataRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, bound).</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>A number in [low, high].</summary>
    public int Between(int low, int high) => low + Below(high - low + 1);

    public bool Chance(int percent) => Below(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    public void Fill(Span<byte> octets)
    {
        int i = 0;
        while (i < octets.Length)
        {
            ulong value = Next();
            for (int b = 0; b < 8 && i < octets.Length; b++, i++)
            {
                octets[i] = (byte)(value >> (8 * b));
            }
        }
    }
}
