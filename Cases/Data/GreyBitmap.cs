using System.Buffers.Binary;

namespace Conformance.Cases.Data;

/// <summary>
/// A 512 × 512 grey-scale Windows bitmap, 8 bits per pixel with a 256-entry palette: 14 + 40 header
/// octets, 1 024 palette octets and 262 144 pixel octets = 263 222 octets, the size of Autobahn's
/// lena512.bmp. The picture is synthetic but photo-like (soft shapes, shading, texture and sensor
/// noise), so it compresses about as poorly as a photograph does.
/// </summary>
internal static class GreyBitmap
{
    public const int Side = 512;
    public const int HeaderLength = 14 + 40;
    public const int PaletteLength = 256 * 4;
    public const int Length = HeaderLength + PaletteLength + Side * Side;

    public static byte[] Generate()
    {
        var random = new DataRandom(0x424D5000_00000002UL);
        var bmp = new byte[Length];
        var header = bmp.AsSpan();
        header[0] = (byte)'B';
        header[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(header[2..], Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[10..], HeaderLength + PaletteLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(header[18..], Side);
        BinaryPrimitives.WriteInt32LittleEndian(header[22..], Side);
        BinaryPrimitives.WriteInt16LittleEndian(header[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(header[28..], 8);
        BinaryPrimitives.WriteInt32LittleEndian(header[34..], Side * Side);
        BinaryPrimitives.WriteInt32LittleEndian(header[38..], 2835);
        BinaryPrimitives.WriteInt32LittleEndian(header[42..], 2835);
        BinaryPrimitives.WriteInt32LittleEndian(header[46..], 256);
        BinaryPrimitives.WriteInt32LittleEndian(header[50..], 256);
        for (int i = 0; i < 256; i++)
        {
            int p = HeaderLength + 4 * i;
            bmp[p] = bmp[p + 1] = bmp[p + 2] = (byte)i;
        }

        // A few soft ellipses over a shaded background.
        var shapes = new (double X, double Y, double Rx, double Ry, double Level)[9];
        for (int s = 0; s < shapes.Length; s++)
        {
            shapes[s] = (random.Between(40, 470), random.Between(40, 470), random.Between(30, 160), random.Between(30, 160), random.Between(-90, 90));
        }

        int pixels = HeaderLength + PaletteLength;
        for (int row = 0; row < Side; row++)
        {
            for (int x = 0; x < Side; x++)
            {
                double y = Side - 1 - row; // rows are stored bottom-up
                double value = 70 + 90.0 * x / Side + 40.0 * y / Side;
                foreach (var (cx, cy, rx, ry, level) in shapes)
                {
                    double dx = (x - cx) / rx;
                    double dy = (y - cy) / ry;
                    double d = dx * dx + dy * dy;
                    if (d < 1.6)
                    {
                        value += level * Math.Clamp(1.6 - d, 0, 0.6) / 0.6;
                    }
                }

                value += 12 * Math.Sin(x / 9.0 + Math.Sin(y / 23.0) * 3) * Math.Cos(y / 13.0);
                value += random.Between(-7, 7);
                bmp[pixels + row * Side + x] = (byte)Math.Clamp((int)Math.Round(value), 0, 255);
            }
        }

        return bmp;
    }
}
