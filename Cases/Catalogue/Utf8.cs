using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Utf8
{
    public static IEnumerable<Case> Build() => [];
}
