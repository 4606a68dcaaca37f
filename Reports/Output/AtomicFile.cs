namespace Conformance.Reports.Output;

/// <summary>
/// Writes a file whole under a hidden temporary name in the same folder and renames it over the target, so a reader
/// (or a killed run) sees either the old file or the new one, never half of one; the temporary file never outlives
/// the call. (Renames are atomic against a killed process; surviving a power cut would also need an fsync.)
/// </summary>
public static class AtomicFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Temporary files being written right now, so that a process told to quit at once can delete them first.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Unfinished = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="path"/> (creating its folder) and returns its length in bytes.</summary>
    public static long Write(string path, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        Unfinished[temporary] = true;
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
            Unfinished.TryRemove(temporary, out _);
        }
    }

    /// <summary>
    /// Deletes every temporary file still being written (the process is about to end without finishing them). The
    /// targets keep their previous contents; a writer that goes on fails on its own, which no longer matters.
    /// </summary>
    public static void DeleteUnfinished()
    {
        foreach (string temporary in Unfinished.Keys)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    public static long Write(string path, byte[] contents) => Write(path, stream => stream.Write(contents));
}
