using Conformance.Reports.Output;

namespace Conformance.Reports.Writers;

/// <summary>The run facts, <c>wsconf-run.json</c> (<see cref="RunInfoFile"/>), as a report writer.</summary>
public sealed class RunFactsWriter : IReportWriter
{
    public IEnumerable<ReportFile> Files(ReportContext context) =>
        [ReportFile.Bytes(RunInfoFile.FileName, RunInfoFile.Render(context.Run.Info, context.Run.Selection))];
}
