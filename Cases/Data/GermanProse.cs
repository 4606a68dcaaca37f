using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// German-like verse drama of 222 218 octets of UTF-8 (the size of Autobahn's Faust I text,
/// pg2229.txt): speakers, stage directions and rhymeless verse lines from a German vocabulary with
/// umlauts and ß. The cases send it as binary messages, as Autobahn does with its text.
/// </summary>
internal static class GermanProse
{
    public const int Length = 222_218;

    private static readonly string[] Nouns = ["Herz", "Welt", "Geist", "Nacht", "Liebe", "Mädchen", "Glück", "Traum", "Himmel", "Erde", "Seele", "Stunde", "Freund", "König", "Wald", "Quelle", "Feuer", "Wasser", "Stimme", "Blume", "Brücke", "Märchen", "Tür", "Straße", "Gefühl", "Schönheit", "Wahrheit", "Abend", "Morgen", "Bücher", "Sterne", "Wünsche", "Lieder", "Hände", "Augen", "Götter", "Fürst", "Garten", "Schatten", "Mühle", "Frühling", "Flügel", "Zauber", "Gesang", "Sehnsucht"];
    private static readonly string[] Verbs = ["liebt", "sieht", "spricht", "träumt", "fühlt", "sucht", "findet", "kennt", "hört", "ruft", "glüht", "schläft", "weiß", "möchte", "müssen", "grüßt", "fließt", "blüht", "trägt", "fällt", "wächst", "lächelt", "zögert", "wandert", "singt", "schweigt", "klagt", "dankt"];
    private static readonly string[] Adjectives = ["schön", "dunkel", "hell", "süß", "kühn", "müde", "fröhlich", "still", "wild", "klar", "tief", "heiß", "bläulich", "groß", "klein", "alt", "jung", "fremd", "treu", "zärtlich", "düster", "golden", "ewig", "übermütig"];
    private static readonly string[] Small = ["und", "der", "die", "das", "ich", "du", "er", "sie", "wir", "nicht", "mit", "im", "am", "zu", "so", "doch", "noch", "schon", "auch", "nur", "wie", "wo", "wenn", "als", "über", "für", "durch", "ohne", "nach", "vor", "aus", "mein", "dein", "sein", "ein", "eine", "kein", "ach", "oh", "ja", "dort", "hier"];
    private static readonly string[] Speakers = ["DER WANDERER", "MARTHE", "DER GELEHRTE", "LIESE", "DER SCHÜLER", "DIE ALTE", "DER GEIST", "CHOR DER ENGEL", "DER MÜLLER", "BÄRBEL", "DER TÜRMER", "STIMMEN"];
    private static readonly string[] Places = ["Ein enges Zimmer", "Vor dem Stadttor", "Garten", "Wald und Höhle", "Auf dem Markt", "Eine Straße", "Am Brunnen", "Kerker", "Offene Gegend", "Studierstube", "Dom", "Nacht. Freies Feld"];

    private static readonly string[] AsciiWords = ["und", "der", "die", "das", "ich", "nicht", "mit", "so", "doch", "Welt", "Herz", "Nacht", "Geist", "Zeit", "Wald", "Liebe"];

    private static readonly string[] Onsets = ["b", "br", "d", "dr", "f", "fl", "g", "gr", "h", "k", "kl", "kr", "l", "m", "n", "pf", "r", "s", "sch", "schl", "sp", "st", "str", "t", "tr", "w", "z", "zw", ""];
    private static readonly string[] Nuclei = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "eu", "ie", "e", "e", "a"];
    private static readonly string[] Codas = ["n", "r", "l", "s", "t", "ch", "ng", "ß", "nd", "st", "cht", "rz", "ff", "mm", "en", "er"];

    public static byte[] Generate()
    {
        var random = new DataRandom(0x46415553_00000003UL);
        var vocabulary = new Vocabulary(random, [.. Small, .. Nouns, .. Verbs, .. Adjectives], Onsets, Nuclei, Codas, 4000);
        var text = new Utf8Builder(Length + 4096);
        text.Append("Das fremde Spiel. Ein Versuch in Versen\n\n(Erzeugter Text, kein Zitat.)\n\n");
        int scene = 1;
        string? nextChunk = null;
        while (true)
        {
            nextChunk ??= Scene(random, vocabulary, scene);
            if (text.Length + Utf8Builder.OctetsOf(nextChunk) > Length - 64)
            {
                break;
            }

            text.Append(nextChunk);
            nextChunk = null;
            scene++;
        }

        // Fill the rest with plain ASCII verse so the exact size is reached on a character boundary.
        int left = Length - text.Length - 1;
        text.Append(Utf8Builder.Filler(random, AsciiWords, left)).Append("\n");
        return text.ToArray();
    }

    private static string Scene(DataRandom random, Vocabulary vocabulary, int number)
    {
        var s = new StringBuilder(4096);
        s.Append("\n").Append(number).Append(". SZENE\n\n").Append(random.Pick(Places)).Append(".\n\n");
        int speeches = random.Between(3, 7);
        for (int i = 0; i < speeches; i++)
        {
            s.Append(random.Pick(Speakers)).Append(":\n");
            int lines = random.Between(2, 12);
            for (int l = 0; l < lines; l++)
            {
                s.Append(Line(random, vocabulary)).Append('\n');
            }

            if (random.Chance(25))
            {
                s.Append("(").Append(Capital(random.Pick(Adjectives))).Append(" und ").Append(random.Pick(Adjectives)).Append(", ").Append(random.Pick(Verbs)).Append(" er zur ").Append(random.Pick(Nouns)).Append(".)\n");
            }

            s.Append('\n');
        }

        return s.ToString();
    }

    private static string Line(DataRandom random, Vocabulary vocabulary)
    {
        var line = new StringBuilder(64);
        int words = random.Between(5, 9);
        for (int w = 0; w < words; w++)
        {
            string word = vocabulary.Next(random);
            line.Append(w == 0 || random.Chance(30) ? Capital(word) : word);
            line.Append(w < words - 1 ? (random.Chance(8) ? ", " : " ") : random.Pick(Endings));
        }

        return line.ToString();
    }

    private static readonly string[] Endings = [",", ".", "!", ";", "?", ",", ".", ""];

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
