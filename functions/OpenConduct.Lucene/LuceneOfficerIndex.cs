namespace OpenConduct.Lucene;

/// <summary>Placeholder: the embedded officer index arrives in the next commit.</summary>
internal static class LuceneOfficerIndexPlaceholder
{
}
