using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Fragmentation
{
    public static IEnumerable<Case> Build() => [];
}
