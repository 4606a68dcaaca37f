namespace Conformance.Reports.Output;

/// <summary>The one place report files are written: every writer's files, each atomically, many at once.</summary>
public static class ReportFiles
{
    /// <summary>Writes every file of every writer; returns the files written (full paths) and their total size.</summary>
    public static WrittenFiles Write(ReportContext context, params IEnumerable<IReportWriter> writers)
    {
        var files = writers.SelectMany(writer => writer.Files(context)).ToList();
        var paths = files.Select(file => context.PathOf(file.Name)).ToList();
        var duplicate = paths.GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two report files would be written to '{duplicate.Key}'");
        }

        Directory.CreateDirectory(context.OutDir);
        long bytes = 0;
        try
        {
            Parallel.For(0, files.Count, i => Interlocked.Add(ref bytes, AtomicFile.Write(paths[i], files[i].Write)));
        }
        catch (AggregateException e)
        {
            // The first error as it was thrown (a template error, a full disk), not wrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }

        return new WrittenFiles(paths, bytes);
    }
}

public sealed record WrittenFiles(IReadOnlyList<string> Paths, long Bytes);
