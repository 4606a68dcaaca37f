using System.Text;

namespace Conformance.Cases.Data;

/// <summary>Placeholder sentences from the classic lorem-ipsum words (the text objects of the PDF-like file, fillers).</summary>
internal static class LoremText
{
    public static readonly string[] Words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim", "veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea", "commodo", "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse", "cillum", "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat", "cupidatat", "non", "proident", "sunt", "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est", "laborum"];

    public static string Sentences(DataRandom random, int count)
    {
        var text = new StringBuilder();
        for (int s = 0; s < count; s++)
        {
            int words = random.Between(5, 14);
            for (int w = 0; w < words; w++)
            {
                string word = random.Pick(Words);
                if (w == 0)
                {
                    word = char.ToUpperInvariant(word[0]) + word[1..];
                }

                text.Append(word).Append(w < words - 1 ? " " : ". ");
            }
        }

        return text.ToString().TrimEnd();
    }
}
