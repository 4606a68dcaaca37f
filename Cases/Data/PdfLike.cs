using System.Globalization;
using System.Text;

namespace Conformance.Cases.Data;

/// <summary>
/// A PDF-like binary mix of 1 042 328 octets (the size of Autobahn's PDF): PDF objects with ASCII
/// dictionaries and page-content streams (drawing and text operators, compressible), "Flate" image
/// and font streams of random octets (incompressible, as already-compressed streams are), an xref
/// table and a trailer. It is not meant to be a valid PDF, only to look like one to a compressor.
/// </summary>
internal static class PdfLike
{
    public const int Length = 1_042_328;

    private static readonly string[] Fonts = ["/F1", "/F2", "/F3"];

    public static byte[] Generate()
    {
        var random = new DataRandom(0x50444600_00000005UL);
        var file = new MemoryStream(Length + 65536);
        var offsets = new List<long>();
        Write(file, "%PDF-1.5\n");
        file.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);

        int objectNumber = 1;
        void Begin(string dictionary)
        {
            offsets.Add(file.Position);
            Write(file, $"{objectNumber} 0 obj\n{dictionary}\n");
            objectNumber++;
        }

        Begin("<< /Type /Catalog /Pages 2 0 R /PageMode /UseOutlines >>\nendobj");
        Begin("<< /Type /Pages /Count 64 /MediaBox [0 0 612 792] >>\nendobj");
        const int Reserve = 64 * 1024; // room for the padding object, xref and trailer
        while (file.Length < Length - Reserve)
        {
            switch (random.Below(10))
            {
                case < 5:
                {
                    byte[] content = Encoding.ASCII.GetBytes(PageContent(random));
                    Begin($"<< /Length {content.Length} >>\nstream");
                    file.Write(content);
                    Write(file, "\nendstream\nendobj\n");
                    break;
                }

                case < 8:
                {
                    int width = random.Between(40, 160);
                    int height = random.Between(40, 160);
                    var pixels = new byte[width * height];
                    random.Fill(pixels);
                    Begin($"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length {pixels.Length} >>\nstream");
                    file.Write(pixels);
                    Write(file, "\nendstream\nendobj\n");
                    break;
                }

                case 8:
                {
                    var font = new byte[random.Between(2000, 9000)];
                    random.Fill(font);
                    Begin($"<< /Length1 {font.Length * 2} /Filter /FlateDecode /Length {font.Length} >>\nstream");
                    file.Write(font);
                    Write(file, "\nendstream\nendobj\n");
                    break;
                }

                default:
                    Begin($"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 {random.Between(3, 900)} 0 R /F2 {random.Between(3, 900)} 0 R >> >> /Contents {random.Between(3, 900)} 0 R /Annots [ {random.Between(3, 900)} 0 R ] >>\nendobj");
                    break;
            }
        }

        // A padding stream object sized so that the file ends exactly at Length, then xref and trailer.
        long paddingStart = file.Position;
        int objects = objectNumber; // including the padding object
        string Xref(long startXref) => XrefAndTrailer(offsets, paddingStart, objects, startXref);
        int padding = 0;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            string head = $"{objects} 0 obj\n<< /Length {padding} >>\nstream\n";
            const string Tail = "\nendstream\nendobj\n";
            long xrefAt = paddingStart + head.Length + padding + Tail.Length;
            long total = xrefAt + Xref(xrefAt).Length;
            if (total == Length)
            {
                break;
            }

            padding += (int)(Length - total);
        }

        offsets.Add(paddingStart);
        string paddingHead = $"{objects} 0 obj\n<< /Length {padding} >>\nstream\n";
        Write(file, paddingHead);
        var fill = new byte[padding];
        random.Fill(fill);
        file.Write(fill);
        Write(file, "\nendstream\nendobj\n");
        Write(file, XrefAndTrailer(offsets, paddingStart, objects, file.Position));
        return file.ToArray();
    }

    private static string XrefAndTrailer(List<long> offsets, long paddingStart, int objects, long startXref)
    {
        var x = new StringBuilder(20 * (objects + 1) + 128);
        x.Append("xref\n0 ").Append(objects + 1).Append('\n').Append("0000000000 65535 f \n");
        for (int i = 0; i < objects; i++)
        {
            long offset = i < offsets.Count ? offsets[i] : paddingStart;
            x.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        }

        x.Append("trailer\n<< /Size ").Append(objects + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(startXref).Append("\n%%EOF\n");
        return x.ToString();
    }

    private static string PageContent(DataRandom random)
    {
        var c = new StringBuilder(8192);
        int blocks = random.Between(20, 120);
        for (int b = 0; b < blocks; b++)
        {
            if (random.Chance(60))
            {
                c.Append("BT\n").Append(random.Pick(Fonts)).Append(' ').Append(random.Between(8, 14)).Append(" Tf\n")
                    .Append(random.Between(36, 540)).Append(' ').Append(random.Between(36, 756)).Append(" Td\n(")
                    .Append(LoremText.Sentences(random, 1)).Append(") Tj\nET\n");
            }
            else
            {
                c.Append("0.").Append(random.Between(0, 9)).Append(" g\n").Append(random.Between(0, 612)).Append(' ').Append(random.Between(0, 792)).Append(" m\n")
                    .Append(random.Between(0, 612)).Append(' ').Append(random.Between(0, 792)).Append(" l\n")
                    .Append(random.Between(0, 612)).Append(' ').Append(random.Between(0, 792)).Append(' ')
                    .Append(random.Between(10, 200)).Append(' ').Append(random.Between(10, 200)).Append(" re\nS\n");
            }
        }

        return c.ToString();
    }

    private static void Write(MemoryStream file, string text) => file.Write(Encoding.ASCII.GetBytes(text));
}
