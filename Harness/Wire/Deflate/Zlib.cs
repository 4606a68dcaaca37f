using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Wire.Deflate;

/// <summary>
/// The z_stream of .NET's native compression library (PAL_ZStream in dotnet/runtime's pal_zlib.h): the
/// library keeps zlib's own z_stream behind <see cref="State"/> and copies these fields in and out.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public byte* NextOut;
    public sbyte* Msg;
    public void* State;
    public uint AvailIn;
    public uint AvailOut;
}

/// <summary>
/// zlib as .NET itself ships it: System.IO.Compression.Native, which every .NET runtime carries (zlib-ng,
/// linked in) on Linux, macOS and Windows alike, and which exports zlib's entry points with explicit
/// window bits. System.IO.Compression's streams cannot set the LZ77 window, and permessage-deflate
/// negotiates it (RFC 7692 §7.1.2), so the harness calls the library directly: raw deflate (negative
/// windowBits) with the agreed window. No system zlib is needed. The library exports no deflateReset
/// and no dictionary functions; <see cref="RawDeflater"/> and <see cref="RawInflater"/> do without them.
/// </summary>
internal static unsafe class Zlib
{
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDict = 2;
    public const int StreamError = -2;
    public const int DataError = -3;
    public const int MemError = -4;
    public const int BufError = -5;
    public const int NoFlush = 0;
    public const int SyncFlush = 2;
    public const int FullFlush = 3;
    public const int Deflated = 8;
    public const int DefaultStrategy = 0;

    private const string Library = "System.IO.Compression.Native";

    private static readonly string? _problem;
    private static readonly delegate* unmanaged<ZStream*, int, int, int, int, int, int> _deflateInit2;
    private static readonly delegate* unmanaged<ZStream*, int, int> _deflate;
    private static readonly delegate* unmanaged<ZStream*, int> _deflateEnd;
    private static readonly delegate* unmanaged<ZStream*, int, int> _inflateInit2;
    private static readonly delegate* unmanaged<ZStream*, int, int> _inflate;
    private static readonly delegate* unmanaged<ZStream*, int, int> _inflateReset2;
    private static readonly delegate* unmanaged<ZStream*, int> _inflateEnd;

    static Zlib()
    {
        if (!TryLoad(out nint library))
        {
            _problem = $"permessage-deflate needs .NET's native compression library ({Library}), which could not be loaded from the runtime folder {RuntimeEnvironment.GetRuntimeDirectory()}.";
            return;
        }

        try
        {
            _deflateInit2 = (delegate* unmanaged<ZStream*, int, int, int, int, int, int>)NativeLibrary.GetExport(library, "CompressionNative_DeflateInit2_");
            _deflate = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "CompressionNative_Deflate");
            _deflateEnd = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "CompressionNative_DeflateEnd");
            _inflateInit2 = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "CompressionNative_InflateInit2_");
            _inflate = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "CompressionNative_Inflate");
            _inflateReset2 = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "CompressionNative_InflateReset2_");
            _inflateEnd = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "CompressionNative_InflateEnd");
        }
        catch (EntryPointNotFoundException e)
        {
            _problem = $".NET's native compression library lacks a function permessage-deflate needs ({e.Message}); .NET 9 or later is required.";
        }
    }

    public static bool IsAvailable => _problem is null;

    /// <summary>Null when zlib is usable; otherwise why not, in words.</summary>
    public static string? Problem => _problem;

    /// <summary>Which zlib: the library exports no version function, so the runtime's version says it.</summary>
    public static string Version { get; } = $"{Environment.Version} (zlib-ng in .NET's {Library})";

    /// <summary>Throws <see cref="ZlibUnavailableException"/> when zlib cannot be used.</summary>
    public static void EnsureAvailable()
    {
        if (_problem is { } problem)
        {
            throw new ZlibUnavailableException(problem);
        }
    }

    /// <summary>As System.IO.Compression's own P/Invokes find it: next to the framework's assemblies.</summary>
    private static bool TryLoad(out nint library)
    {
        string prefixed = OperatingSystem.IsWindows() ? Library : "lib" + Library;
        if (NativeLibrary.TryLoad(prefixed, typeof(DeflateStream).Assembly, DllImportSearchPath.AssemblyDirectory, out library))
        {
            return true;
        }

        string file = prefixed + (OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so");
        return NativeLibrary.TryLoad(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), file), out library);
    }

    public static int DeflateInit2(ZStream* stream, int level, int windowBits, int memLevel) =>
        _deflateInit2(stream, level, Deflated, windowBits, memLevel, DefaultStrategy);

    public static int Deflate(ZStream* stream, int flush) => _deflate(stream, flush);

    public static int DeflateEnd(ZStream* stream) => _deflateEnd(stream);

    public static int InflateInit2(ZStream* stream, int windowBits) => _inflateInit2(stream, windowBits);

    public static int Inflate(ZStream* stream, int flush) => _inflate(stream, flush);

    public static int InflateReset2(ZStream* stream, int windowBits) => _inflateReset2(stream, windowBits);

    public static int InflateEnd(ZStream* stream) => _inflateEnd(stream);

    /// <summary>zlib's message for the last error of a stream, or the return code in words.</summary>
    public static string Describe(ZStream* stream, int code)
    {
        string? message = stream->Msg is null ? null : Marshal.PtrToStringAnsi((nint)stream->Msg);
        return message ?? code switch
        {
            DataError => "data error",
            StreamError => "stream error",
            MemError => "out of memory",
            BufError => "no progress possible",
            NeedDict => "a preset dictionary is needed",
            _ => $"zlib code {code}",
        };
    }
}

/// <summary>zlib cannot be used (see <see cref="Zlib.Problem"/>).</summary>
internal sealed class ZlibUnavailableException(string message) : Exception(message);
