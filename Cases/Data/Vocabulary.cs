namespace Conformance.Cases.Data;

/// <summary>
/// A made-up vocabulary of a few thousand words built from syllables, drawn with a Zipf-like skew
/// (few words are frequent, most are rare), so generated prose repeats itself about as much as
/// real prose does: neither a tiny word list nor random letters.
/// </summary>
internal sealed class Vocabulary
{
    private readonly string[] _words;

    public Vocabulary(DataRandom random, IReadOnlyList<string> common, IReadOnlyList<string> onsets, IReadOnlyList<string> nuclei, IReadOnlyList<string> codas, int size)
    {
        var words = new List<string>(common);
        var seen = new HashSet<string>(common, StringComparer.Ordinal);
        while (words.Count < size)
        {
            int syllables = 1 + random.Below(3) + (random.Chance(20) ? 1 : 0);
            var word = new System.Text.StringBuilder();
            for (int s = 0; s < syllables; s++)
            {
                word.Append(random.Pick(onsets)).Append(random.Pick(nuclei));
                if (random.Chance(45))
                {
                    word.Append(random.Pick(codas));
                }
            }

            if (seen.Add(word.ToString()))
            {
                words.Add(word.ToString());
            }
        }

        _words = [.. words];
    }

    /// <summary>A word; word k is drawn with weight about 1/(k+1).</summary>
    public string Next(DataRandom random)
    {
        // Inverse of the harmonic CDF, approximately: exp(u · ln(n + 1)) − 1.
        double u = (random.Next() >> 11) * (1.0 / (1UL << 53));
        int index = (int)(Math.Exp(u * Math.Log(_words.Length + 1)) - 1);
        return _words[Math.Clamp(index, 0, _words.Length - 1)];
    }
}
