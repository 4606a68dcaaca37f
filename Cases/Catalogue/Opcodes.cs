using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class Opcodes
{
    public static IEnumerable<Case> Build() => [];
}
