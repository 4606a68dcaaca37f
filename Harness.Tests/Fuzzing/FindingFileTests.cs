using System.Text;
using System.Text.Json;
using Conformance.Cases.Fuzzing;
using NUnit.Framework;

namespace Conformance.Tests.Fuzzing;

/// <summary>A finding file edited by hand: it reads back as written, and each kind of mistake is an error that names the field.</summary>
public sealed class FindingFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("wsconf-findings-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static string Valid()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", FindingFile.Format);
            json.WriteString("caseId", "100.0.7");
            json.WriteStartObject("minimal");
            json.WritePropertyName("actions");
            ActionJson.Write(json, FuzzGenerator.Actions(7, 7));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private string Read(string text)
    {
        File.WriteAllText(Path.Combine(_folder, "f.json"), text);
        return Assert.Throws<FormatException>(() => FindingFile.ReadFolder(_folder))!.Message;
    }

    [Test]
    public void A_written_file_reads_back_as_the_same_actions()
    {
        File.WriteAllText(Path.Combine(_folder, "f.json"), Valid());
        var @case = FindingFile.ReadFolder(_folder).Single();
        Assert.That(FuzzCase.ActionsOf(@case).Select(a => a.Describe()), Is.EqualTo(FuzzGenerator.Actions(7, 7).Select(a => a.Describe())));
    }

    [TestCase("\"format\":\"wsconf-finding/1\"", "\"format\":1", "f.json: not a wsconf-finding/1 file")]
    [TestCase("\"caseId\":\"100.0.7\",", "", "f.json: \"caseId\" is missing")]
    [TestCase("\"caseId\":\"100.0.7\"", "\"caseId\":7", "f.json: \"caseId\" must be a string")]
    [TestCase("\"caseId\":\"100.0.7\"", "\"caseId\":\"x\"", "f.json: 'x' is not a case ID")]
    [TestCase("\"opcode\":", "\"opcode\":\"one\",\"x\":", "f.json: action 1: \"opcode\" must be a number from 0 to 255")]
    [TestCase("\"fin\":", "\"fin\":1,\"x\":", "f.json: action 1: \"fin\" must be true or false")]
    [TestCase("\"masking\":\"", "\"masking\":\"Sideways\",\"x\":\"", "f.json: action 1: \"masking\" must be one of ")]
    [TestCase("\"payload\":\"", "\"payload\":\"zz", "f.json: action 1: \"payload\" must be octets in hexadecimal")]
    public void A_mistake_names_the_field(string find, string replace, string error)
    {
        string valid = Valid();
        int at = valid.IndexOf(find, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "the valid file has " + find);
        Assert.That(Read(valid[..at] + replace + valid[(at + find.Length)..]), Does.StartWith(error));
    }

    [Test]
    public void Not_JSON_is_a_format_error_naming_the_file() => Assert.That(Read("{bad"), Does.StartWith("f.json: "));
}
