using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Limits
{
    public static IEnumerable<Case> Build() => [];
}
