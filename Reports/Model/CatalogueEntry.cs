namespace Conformance.Reports.Model;

/// <summary>
/// A selected case as the reports list it, whether or not it ran: the rows of the HTML matrix, where a case
/// without a result shows as Missing. Handed in by the harness so Reports need not know the catalogue.
/// </summary>
public sealed record CatalogueEntry(string Id, int Category, string CategoryName, string? SubcategoryTitle, string Description);
