using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Misc
{
    public static IEnumerable<Case> Build() => [];
}
