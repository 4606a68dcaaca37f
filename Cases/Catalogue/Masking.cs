using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Masking
{
    public static IEnumerable<Case> Build() => [];
}
