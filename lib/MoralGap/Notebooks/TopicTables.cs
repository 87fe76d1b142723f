using Microsoft.Data.Analysis;
using MoralGap.Profiles;

namespace MoralGap.Notebooks;

/// <summary>Small table helpers for chapter 07.</summary>
public static class TopicTables
{
    /// <summary>The contingency table of a topic comparison as a frame: one row per assigned topic, one column per planted topic.</summary>
    public static DataFrame Contingency(TopicAgreementReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("assigned \\ planted", report.AssignedNames),
        };
        for (var c = 0; c < report.ReferenceNames.Count; c++)
            columns.Add(new Int32DataFrameColumn(report.ReferenceNames[c], report.Table.Select(r => r[c])));
        return new DataFrame(columns);
    }
}
