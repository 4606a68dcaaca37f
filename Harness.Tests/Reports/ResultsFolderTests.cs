using System.Text.Json;
using Conformance.Reports.Model;
using Conformance.Reports.Writers;
using NUnit.Framework;

namespace Conformance.Tests.Reports;

public class ResultsFolderTests
{
    private string _outDir = "";

    [SetUp]
    public void CreateFolderName() =>
        _outDir = Path.Combine(Path.GetTempPath(), "conformance-reports-" + Guid.NewGuid().ToString("N"), "nested", "out");

    [TearDown]
    public void DeleteFolder()
    {
        var root = Path.GetDirectoryName(Path.GetDirectoryName(_outDir))!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Creates_the_folder_and_writes_nothing_until_a_case_is_added()
    {
        var folder = new ResultsFolder(_outDir);
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(folder.OutDir), Is.True);
            Assert.That(Directory.EnumerateFileSystemEntries(folder.OutDir), Is.Empty);
        });
    }

    [Test]
    public void Index_is_current_after_each_Add_and_every_case_file_is_written_at_once()
    {
        var folder = new ResultsFolder(_outDir);
        var added = new List<CaseResult>();
        foreach (var result in SampleRun.Results())
        {
            folder.Add(result);
            added.Add(result);

            Assert.Multiple(() =>
            {
                Assert.That(IndexEntries(folder), Is.EquivalentTo(added.Select(r => (r.Agent, r.CaseId))));
                Assert.That(File.ReadAllBytes(Path.Combine(_outDir, ReportNames.CaseFile(result.Agent, result.CaseId, "json"))), Is.EqualTo(new CaseJsonWriter().Render(result)));
            });
        }

        Assert.That(File.ReadAllBytes(folder.IndexPath), Is.EqualTo(new AutobahnIndexWriter().Render(added)));
    }

    [Test]
    public void Adding_a_case_again_replaces_its_file_and_its_index_entry()
    {
        var folder = new ResultsFolder(_outDir);
        var first = SampleRun.Case("a", "1.1.1", 1, "Framing", 5, 1000);
        var rerun = first with { Behavior = Behavior.Failed };
        folder.Add(first);
        folder.Add(rerun);

        using var index = JsonDocument.Parse(File.ReadAllBytes(folder.IndexPath));
        using var caseFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_outDir, ReportNames.CaseFile(first.Agent, first.CaseId, "json"))));
        Assert.Multiple(() =>
        {
            Assert.That(index.RootElement.GetProperty("a").GetProperty("1.1.1").GetProperty("behavior").GetString(), Is.EqualTo("FAILED"));
            Assert.That(caseFile.RootElement.GetProperty("behavior").GetString(), Is.EqualTo("FAILED"));
        });
    }

    [Test]
    public void A_stale_index_from_an_earlier_run_is_replaced()
    {
        Directory.CreateDirectory(_outDir);
        File.WriteAllText(Path.Combine(_outDir, "index.json"), "{ \"stale\": {} } and some garbage left by a killed process");
        var folder = new ResultsFolder(_outDir);
        var result = SampleRun.Case("a", "1.1.1", 1, "Framing", 5, 1000);
        folder.Add(result);
        Assert.That(IndexEntries(folder), Is.EqualTo(new[] { ("a", "1.1.1") }));
    }

    [Test]
    public void Parallel_Adds_from_many_threads_give_a_valid_index_with_every_entry_and_no_temporary_files()
    {
        var folder = new ResultsFolder(_outDir);
        var results = Enumerable.Range(0, 400)
            .Select(i => SampleRun.Case($"Agent {i % 4}", $"{i / 40 + 1}.{i % 40 / 8 + 1}.{i % 8 + 1}", i / 40 + 1, "Category", i, 1000))
            .ToList();
        var readerFailures = new List<string>();
        using var stopReading = new CancellationTokenSource();

        // A reader polls the index while writers run: it must never see a half-written file.
        var reader = Task.Run(() =>
        {
            while (!stopReading.IsCancellationRequested)
            {
                try
                {
                    if (File.Exists(folder.IndexPath))
                    {
                        using var _ = JsonDocument.Parse(File.ReadAllBytes(folder.IndexPath));
                    }
                }
                catch (JsonException e)
                {
                    lock (readerFailures)
                    {
                        readerFailures.Add(e.Message);
                    }
                }
                catch (IOException)
                {
                    // The file was being replaced at that instant (Windows); try again.
                }
            }
        });

        Parallel.ForEach(results, new ParallelOptions { MaxDegreeOfParallelism = 16 }, folder.Add);
        stopReading.Cancel();
        reader.Wait();

        Assert.Multiple(() =>
        {
            Assert.That(readerFailures, Is.Empty, "a reader saw a torn index");
            Assert.That(IndexEntries(folder), Is.EquivalentTo(results.Select(r => (r.Agent, r.CaseId))));
            Assert.That(File.ReadAllBytes(folder.IndexPath), Is.EqualTo(new AutobahnIndexWriter().Render(results)));
            Assert.That(results.All(r => File.Exists(Path.Combine(_outDir, ReportNames.CaseFile(r.Agent, r.CaseId, "json")))), Is.True, "every case file exists");
            Assert.That(Directory.GetFiles(_outDir).Select(Path.GetFileName), Is.EquivalentTo(results.Select(r => ReportNames.CaseFile(r.Agent, r.CaseId, "json")).Append("index.json")), "no temporary files left");
        });
    }

    private static IEnumerable<(string Agent, string CaseId)> IndexEntries(ResultsFolder folder)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(folder.IndexPath));
        return [.. index.RootElement.EnumerateObject().SelectMany(agent => agent.Value.EnumerateObject().Select(c => (agent.Name, c.Name)))];
    }
}
