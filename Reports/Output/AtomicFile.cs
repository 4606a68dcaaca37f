namespace Conformance.Reports.Output;

/// <summary>
/// Writes a file whole under a hidden temporary name in the same folder and renames it over the target, so a reader
/// (or a killed run) sees either the old file or the new one, never half of one; the temporary file never outlives
/// the call. (Renames are atomic against a killed process; surviving a power cut would also need an fsync.)
/// </summary>
public static class AtomicFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Writes <paramref name="path"/> (creating its folder) and returns its length in bytes.</summary>
    public static long Write(string path, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            long length;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                write(stream);
                length = stream.Length;
            }

            File.Move(temporary, path, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temporary); // no-op once moved
        }
    }

    public static long Write(string path, byte[] contents) => Write(path, stream => stream.Write(contents));
}
