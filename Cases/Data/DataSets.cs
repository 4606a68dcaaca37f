namespace Conformance.Cases.Data;

/// <summary>
/// The five data sets of category 12, in Autobahn's order and with its sizes and kinds; generated
/// by this project (see each generator) instead of Autobahn's third-party files.
/// </summary>
public static class DataSets
{
    public static DataSet Json { get; } = new("json", "Large JSON document, generated", JsonData.Length, isText: true, codePoints: JsonData.Length,
        "3bd6e71f6c52799d3781a4b723a8c50820b78ffcaff3f83d1faa47d11323ef9b", JsonData.Generate);

    public static DataSet Bitmap { get; } = new("bitmap", "Picture, generated bitmap 512x512 grey", GreyBitmap.Length, isText: false, codePoints: GreyBitmap.Length,
        "1959858ba4c9cf6f3b9dda43cce03390b41239368c38f7f902818e9dfb05501f", GreyBitmap.Generate);

    public static DataSet GermanText { get; } = new("german", "Human readable text, generated German-like verse drama", GermanProse.Length, isText: false, codePoints: GermanProse.Length,
        "aaee65ab5925291ed47a1fe32d728d1cf2ebee1f5789a8ebe82b4a73f8608022", GermanProse.Generate);

    public static DataSet Html { get; } = new("html", "Large HTML page, generated", HtmlPage.Length, isText: true, codePoints: HtmlPage.CodePoints,
        "d895f8394417eceb93e5ae7156f4be29cf7ea5cd307ddd9c769891366e9028e2", HtmlPage.Generate);

    public static DataSet Pdf { get; } = new("pdf", "A larger PDF-like file, generated", PdfLike.Length, isText: false, codePoints: PdfLike.Length,
        "f1f5d8db839bce3fa5eac66a35527ad2b39df01c190fcc80f68239df4f1b91cc", PdfLike.Generate);

    /// <summary>12.1 … 12.5 in order.</summary>
    public static IReadOnlyList<DataSet> All { get; } = [Json, Bitmap, GermanText, Html, Pdf];
}
