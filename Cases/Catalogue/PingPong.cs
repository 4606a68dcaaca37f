using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

internal static class PingPong
{
    public static IEnumerable<Case> Build() => [];
}
