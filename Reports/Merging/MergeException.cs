namespace Conformance.Reports.Merging;

/// <summary>Results folders that cannot be merged into one report; the message is one line naming the folders and the reason.</summary>
public sealed class MergeException(string message) : Exception(message);
