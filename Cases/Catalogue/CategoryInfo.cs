using Conformance.Cases.Scripting;

namespace Conformance.Cases.Catalogue;

/// <summary>A category of the catalogue: its number, its report name, and where its cases come from.</summary>
public sealed record CategoryInfo(int Number, string Name, string Origin, Func<IEnumerable<Case>> Build);
