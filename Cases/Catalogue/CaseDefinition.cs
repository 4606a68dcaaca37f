using System.Text;
using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

/// <summary>A canonical text of a case's definition: what the catalogue version hashes.</summary>
public static class CaseDefinition
{
    public static string Canonical(Case @case)
    {
        var text = new StringBuilder();
        text.Append(@case.Id).Append('\n')
            .Append(@case.Description).Append('\n')
            .Append(@case.Expectation).Append('\n')
            .Append(@case.RfcSection).Append(' ').Append(@case.Requirement).Append('\n');
        foreach (var step in @case.Script)
        {
            text.Append(step.Describe()).Append('\n');
        }

        text.Append(@case.Behavior.Describe()).Append('\n')
            .Append(@case.Close.Describe()).Append('\n')
            .Append(@case.Flags).Append('\n');
        if (@case.Roles != PeerRoles.Both)
        {
            text.Append("applies to ").Append(@case.Roles).Append('\n');
        }

        if (@case.Deflate is { } deflate)
        {
            text.Append(deflate.Describe()).Append('\n');
        }

        if (@case.Handshake is { } handshake)
        {
            text.Append("handshake ").Append(handshake.Describe()).Append('\n');
        }

        return text.ToString();
    }
}
