using System.Reflection;
using System.Runtime.InteropServices;

namespace Conformance.Harness.Wire.Deflate;

/// <summary>zlib's <c>z_stream</c> (zlib.h). <c>uLong</c> is <see cref="CULong"/>: 64-bit on Linux and macOS, 32-bit on Windows.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public CULong TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public CULong TotalOut;
    public sbyte* Msg;
    public void* State;
    public void* ZAlloc;
    public void* ZFree;
    public void* Opaque;
    public int DataType;
    public CULong Adler;
    public CULong Reserved;
}

/// <summary>
/// The system zlib through P/Invoke. System.IO.Compression cannot set the LZ77 window size, and
/// permessage-deflate negotiates it (RFC 7692 §7.1.2), so the harness binds zlib itself: raw deflate
/// (negative windowBits) with an explicit window. Linux has libz.so.1 and macOS libz.dylib; Windows
/// ships no zlib, so there <see cref="Problem"/> says so and the compression cases fail with that reason.
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
    public const int Deflated = 8;
    public const int DefaultStrategy = 0;

    private static readonly string? _problem;
    private static readonly byte* _version;
    private static readonly delegate* unmanaged<ZStream*, int, int, int, int, int, byte*, int, int> _deflateInit2;
    private static readonly delegate* unmanaged<ZStream*, int, int> _deflate;
    private static readonly delegate* unmanaged<ZStream*, int> _deflateReset;
    private static readonly delegate* unmanaged<ZStream*, int> _deflateEnd;
    private static readonly delegate* unmanaged<ZStream*, int, byte*, int, int> _inflateInit2;
    private static readonly delegate* unmanaged<ZStream*, int, int> _inflate;
    private static readonly delegate* unmanaged<ZStream*, int> _inflateReset;
    private static readonly delegate* unmanaged<ZStream*, int> _inflateEnd;
    private static readonly delegate* unmanaged<ZStream*, byte*, uint*, int> _inflateGetDictionary;
    private static readonly delegate* unmanaged<ZStream*, byte*, uint, int> _inflateSetDictionary;

    static Zlib()
    {
        if (!TryLoad(out nint library, out string tried))
        {
            _problem = OperatingSystem.IsWindows()
                ? $"permessage-deflate needs the system zlib with a settable window size; Windows ships none (tried {tried}). Put a zlib1.dll on PATH, or run the compression cases on Linux or macOS."
                : $"permessage-deflate needs the system zlib, which could not be loaded (tried {tried}). Install zlib (libz.so.1).";
            return;
        }

        try
        {
            var zlibVersion = (delegate* unmanaged<byte*>)NativeLibrary.GetExport(library, "zlibVersion");
            _version = zlibVersion();
            _deflateInit2 = (delegate* unmanaged<ZStream*, int, int, int, int, int, byte*, int, int>)NativeLibrary.GetExport(library, "deflateInit2_");
            _deflate = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "deflate");
            _deflateReset = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "deflateReset");
            _deflateEnd = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "deflateEnd");
            _inflateInit2 = (delegate* unmanaged<ZStream*, int, byte*, int, int>)NativeLibrary.GetExport(library, "inflateInit2_");
            _inflate = (delegate* unmanaged<ZStream*, int, int>)NativeLibrary.GetExport(library, "inflate");
            _inflateReset = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "inflateReset");
            _inflateEnd = (delegate* unmanaged<ZStream*, int>)NativeLibrary.GetExport(library, "inflateEnd");
            _inflateGetDictionary = (delegate* unmanaged<ZStream*, byte*, uint*, int>)NativeLibrary.GetExport(library, "inflateGetDictionary");
            _inflateSetDictionary = (delegate* unmanaged<ZStream*, byte*, uint, int>)NativeLibrary.GetExport(library, "inflateSetDictionary");
            Version = Marshal.PtrToStringAnsi((nint)_version) ?? "?";
        }
        catch (EntryPointNotFoundException e)
        {
            _problem = $"the system zlib lacks a function permessage-deflate needs ({e.Message}); zlib 1.2.8 or later is required.";
        }
    }

    /// <summary>Null when zlib is usable; otherwise why not, in words.</summary>
    public static string? Problem => _problem;

    public static bool IsAvailable => _problem is null;

    /// <summary>zlib's own version string, e.g. "1.2.13".</summary>
    public static string Version { get; } = "";

    /// <summary>Throws <see cref="ZlibUnavailableException"/> when zlib cannot be used.</summary>
    public static void EnsureAvailable()
    {
        if (_problem is { } problem)
        {
            throw new ZlibUnavailableException(problem);
        }
    }

    private static bool TryLoad(out nint library, out string tried)
    {
        string[] names = OperatingSystem.IsWindows() ? ["zlib1.dll", "zlib.dll"]
            : OperatingSystem.IsMacOS() ? ["libz.dylib", "libz.1.dylib"]
            : ["libz.so.1", "libz.so", "z"];
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, Assembly.GetExecutingAssembly(), DllImportSearchPath.SafeDirectories | DllImportSearchPath.System32, out library)
                || NativeLibrary.TryLoad(name, out library))
            {
                tried = name;
                return true;
            }
        }

        library = 0;
        tried = string.Join(", ", names);
        return false;
    }

    public static int DeflateInit2(ZStream* stream, int level, int windowBits, int memLevel) =>
        _deflateInit2(stream, level, Deflated, windowBits, memLevel, DefaultStrategy, _version, sizeof(ZStream));

    public static int Deflate(ZStream* stream, int flush) => _deflate(stream, flush);

    public static int DeflateReset(ZStream* stream) => _deflateReset(stream);

    public static int DeflateEnd(ZStream* stream) => _deflateEnd(stream);

    public static int InflateInit2(ZStream* stream, int windowBits) => _inflateInit2(stream, windowBits, _version, sizeof(ZStream));

    public static int Inflate(ZStream* stream, int flush) => _inflate(stream, flush);

    public static int InflateReset(ZStream* stream) => _inflateReset(stream);

    public static int InflateEnd(ZStream* stream) => _inflateEnd(stream);

    public static int InflateGetDictionary(ZStream* stream, byte* dictionary, uint* length) => _inflateGetDictionary(stream, dictionary, length);

    public static int InflateSetDictionary(ZStream* stream, byte* dictionary, uint length) => _inflateSetDictionary(stream, dictionary, length);

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

/// <summary>The system zlib cannot be used (see <see cref="Zlib.Problem"/>).</summary>
internal sealed class ZlibUnavailableException(string message) : Exception(message);
