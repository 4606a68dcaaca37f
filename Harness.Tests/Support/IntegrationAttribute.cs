using NUnit.Framework;

namespace Conformance.Tests.Support;

/// <summary>
/// The NUnit category of tests that start another program (node, python, chromium, pwsh), pack the tool, or
/// run real peers for more than a second. The fast loop leaves them out:
/// <c>dotnet test Conformance.sln --filter TestCategory!=Integration</c>; the default command runs everything.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
internal sealed class IntegrationAttribute() : CategoryAttribute(Category)
{
    public const string Category = "Integration";
}
