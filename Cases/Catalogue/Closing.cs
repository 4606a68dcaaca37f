using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Closing
{
    public static IEnumerable<Case> Build() => [];
}
