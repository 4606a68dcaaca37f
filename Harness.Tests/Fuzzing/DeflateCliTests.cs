using System.Text.Json;
using Conformance.Tests.Support;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary><c>wsconf fuzz --deflate</c> through the real command line, against the embedded Kestrel's permessage-deflate path.</summary>
[Integration]
[NonParallelizable] // redirects the process-wide Console.Out / Console.Error
public sealed class DeflateCliTests
{
    [Test]
    public async Task Fuzz_deflate_offers_permessage_deflate_and_records_generator_2()
    {
        string folder = Campaigns.TemporaryFolder();
        var run = await CliRunner.RunAsync("fuzz", "--deflate", "--count", "40", "--seed", "5", "--shrink-runs", "5", "--out", folder);
        using var figures = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "fuzz.json")));
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.AnyOf(0, 1), run.ToString()); // 1: Kestrel's known deflate defects are findings
            Assert.That(run.Out, Does.Contain("/deflate: seed 5 (generator v2, permessage-deflate offered)"), run.ToString());
            Assert.That(run.Error, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(figures.RootElement.GetProperty("generator").GetInt32(), Is.EqualTo(2));
            Assert.That(figures.RootElement.GetProperty("casesRun").GetInt64(), Is.EqualTo(40));
        });
    }
}
