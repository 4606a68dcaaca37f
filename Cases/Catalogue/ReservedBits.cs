using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class ReservedBits
{
    public static IEnumerable<Case> Build() => [];
}
