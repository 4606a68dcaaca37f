using System.Globalization;
using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// A JSON document of 194 056 octets, all ASCII, like a typical API dump (the kind of Autobahn's
/// data1.json): an array of person records with strings, numbers, booleans, nested arrays and objects.
/// </summary>
internal static class JsonData
{
    public const int Length = 194_056;

    private static readonly string[] FirstNames = ["Nora", "Elias", "Mara", "Jonas", "Lena", "Oskar", "Ida", "Felix", "Greta", "Anton", "Clara", "Henrik", "Sofia", "Milan", "Paula", "Viktor", "Alma", "Theo", "Rosa", "Emil", "Hedda", "Bruno", "Selma", "Arvid"];
    private static readonly string[] LastNames = ["Whitfield", "Okafor", "Lindqvist", "Moreau", "Castillo", "Haddad", "Novak", "Brennan", "Takahashi", "Osei", "Varga", "Delacroix", "Kowalski", "Andersen", "Ferreira", "Nakamura", "Quinn", "Rahman", "Sorensen", "Mbeki"];
    private static readonly string[] Companies = ["ZENTRIX", "QUILBERRY", "ORBITAL", "MAPLEWORKS", "SYNERGEX", "NORTHWIND", "PLASMOS", "VELOCITY", "GRANITEX", "AQUASEED", "HELIODYNE", "CORVANTA"];
    private static readonly string[] Streets = ["Maple Court", "Harbor Lane", "Cedar Avenue", "Willow Street", "Summit Road", "Orchard Place", "Bay Parkway", "Meadow Drive", "Quarry Way", "Lantern Row"];
    private static readonly string[] Cities = ["Riverton", "Lakeside", "Fairview", "Greenville", "Springfield", "Ashford", "Kingsbridge", "Milltown", "Brookhaven", "Eastport"];
    private static readonly string[] States = ["Oregon", "Vermont", "Nevada", "Ohio", "Maine", "Utah", "Iowa", "Georgia", "Montana", "Texas"];
    private static readonly string[] Colors = ["blue", "green", "brown", "grey", "amber"];
    private static readonly string[] Fruits = ["apple", "banana", "strawberry", "cherry", "mango"];
    private static readonly string[] Tags = ["alpha", "beta", "cloud", "delta", "edge", "fiber", "grid", "hybrid", "index", "json", "kernel", "lambda", "mesh", "node", "orbit", "proxy", "queue", "relay", "shard", "token", "vector", "widget"];

    internal static readonly string[] Words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "ad", "minim", "veniam", "quis", "nostrud", "exercitation", "ullamco", "laboris", "nisi", "aliquip", "ex", "ea", "commodo", "consequat", "duis", "aute", "irure", "in", "reprehenderit", "voluptate", "velit", "esse", "cillum", "fugiat", "nulla", "pariatur", "excepteur", "sint", "occaecat", "cupidatat", "non", "proident", "sunt", "culpa", "qui", "officia", "deserunt", "mollit", "anim", "id", "est", "laborum"];

    public static byte[] Generate()
    {
        var random = new DataRandom(0x4A534F4E_00000001UL);
        const string Head = "[\n";
        const string Tail = "\n]\n";
        var body = new StringBuilder(Length + 4096);
        body.Append(Head);
        int index = 0;
        while (true)
        {
            string record = Record(random, index);
            string separator = index == 0 ? "" : ",\n";
            // Leave room for a filler record of at least 16 octets of text.
            if (body.Length + separator.Length + record.Length + 2 + Filler(index + 1, "").Length + 16 + Tail.Length > Length)
            {
                break;
            }

            body.Append(separator).Append(record);
            index++;
        }

        string fillerSeparator = index == 0 ? "" : ",\n";
        int pad = Length - body.Length - fillerSeparator.Length - Filler(index, "").Length - Tail.Length;
        body.Append(fillerSeparator).Append(Filler(index, Utf8Builder.Filler(random, Words, pad))).Append(Tail);
        return Encoding.ASCII.GetBytes(body.ToString());
    }

    private static string Filler(int index, string note) =>
        $"  {{\n    \"index\": {index},\n    \"note\": \"{note}\"\n  }}";

    private static string Record(DataRandom random, int index)
    {
        string first = random.Pick(FirstNames);
        string last = random.Pick(LastNames);
        string company = random.Pick(Companies);
        var r = new StringBuilder(1024);
        r.Append("  {\n");
        Field(r, "_id", Quote(Hex(random, 24)));
        Field(r, "index", Num(index));
        Field(r, "guid", Quote($"{Hex(random, 8)}-{Hex(random, 4)}-{Hex(random, 4)}-{Hex(random, 4)}-{Hex(random, 12)}"));
        Field(r, "isActive", random.Chance(50) ? "true" : "false");
        Field(r, "balance", Quote($"${random.Between(1, 3)},{random.Between(0, 999):000}.{random.Between(0, 99):00}"));
        Field(r, "picture", Quote($"http://images.example.org/avatars/32x32/{random.Between(1, 999)}.png"));
        Field(r, "age", Num(random.Between(18, 80)));
        Field(r, "eyeColor", Quote(random.Pick(Colors)));
        Field(r, "name", Quote($"{first} {last}"));
        Field(r, "gender", Quote(random.Chance(50) ? "female" : "male"));
        Field(r, "company", Quote(company));
        Field(r, "email", Quote($"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@{company.ToLowerInvariant()}.example"));
        Field(r, "phone", Quote($"+1 ({random.Between(200, 999)}) 555-{random.Between(0, 9999):0000}"));
        Field(r, "address", Quote($"{random.Between(1, 999)} {random.Pick(Streets)}, {random.Pick(Cities)}, {random.Pick(States)}, {random.Between(1000, 9999)}"));
        Field(r, "about", Quote(Sentences(random, random.Between(3, 7))));
        Field(r, "registered", Quote($"20{random.Between(10, 24):00}-{random.Between(1, 12):00}-{random.Between(1, 28):00}T{random.Between(0, 23):00}:{random.Between(0, 59):00}:{random.Between(0, 59):00} -0{random.Between(0, 9)}:00"));
        Field(r, "latitude", Coordinate(random, 90));
        Field(r, "longitude", Coordinate(random, 180));
        r.Append("    \"tags\": [\n");
        int tags = random.Between(3, 7);
        for (int t = 0; t < tags; t++)
        {
            r.Append("      ").Append(Quote(random.Pick(Tags))).Append(t < tags - 1 ? ",\n" : "\n");
        }

        r.Append("    ],\n    \"friends\": [\n");
        for (int f = 0; f < 3; f++)
        {
            r.Append("      {\n        \"id\": ").Append(Num(f)).Append(",\n        \"name\": ")
                .Append(Quote($"{random.Pick(FirstNames)} {random.Pick(LastNames)}")).Append("\n      }").Append(f < 2 ? ",\n" : "\n");
        }

        r.Append("    ],\n");
        Field(r, "greeting", Quote($"Hello, {first} {last}! You have {random.Between(1, 20)} unread messages."));
        r.Append("    \"favoriteFruit\": ").Append(Quote(random.Pick(Fruits))).Append("\n  }");
        return r.ToString();
    }

    internal static string Sentences(DataRandom random, int count)
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

    private static void Field(StringBuilder r, string name, string value) => r.Append("    \"").Append(name).Append("\": ").Append(value).Append(",\n");

    private static string Quote(string text) => "\"" + text + "\"";

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Coordinate(DataRandom random, int range) =>
        ((random.Next() % (ulong)(2 * range * 1_000_000)) / 1_000_000.0 - range).ToString("F6", CultureInfo.InvariantCulture);

    private static string Hex(DataRandom random, int digits)
    {
        var text = new StringBuilder(digits);
        while (text.Length < digits)
        {
            text.Append(random.Next().ToString("x16", CultureInfo.InvariantCulture));
        }

        return text.ToString(0, digits);
    }
}
