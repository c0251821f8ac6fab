using System.Text.RegularExpressions;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>The filter keys computed for each officer: the candidate filters must never miss an officer the rules match.</summary>
public sealed class OfficerSearchDocumentTests
{
    [Fact]
    public void Every_word_within_the_allowed_edits_shares_a_deletion_key()
    {
        var random = new Random(20_250_601);
        string[] alphabet = ["a", "b", "c", "d", "e", "\U00010428"];   // and a letter outside the BMP (Deseret): code points, not chars
        var words = Enumerable.Range(0, 600)
            .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => alphabet[random.Next(alphabet.Length)])))
            .Append("kowalski").Append("kowlaski").Append("kovalsky").Append("holm").Append("hlom")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var documents = words.ToDictionary(w => w, w => OfficerSearchDocument.From("r1/b1", Named(w)));
        var pairs = 0;
        foreach (var q in words)
        {
            var edits = OfficerSearchRules.AllowedEdits(q);
            var queryKeys = edits == 0 ? [] : OfficerSearchDocument.Deletions([.. q.EnumerateRunes().Select(r => r.ToString())], edits);
            foreach (var (w, document) in documents)
            {
                var prefix = w.StartsWith(q, StringComparison.Ordinal);
                var fuzzy = edits > 0 && OfficerSearchRules.EditDistance(q, w, edits) <= edits;
                if (prefix)
                {
                    Assert.Contains(q, document.NamePrefixes);
                }

                if (fuzzy)
                {
                    pairs++;
                    Assert.True(queryKeys.Overlaps(document.NameDeletions), $"'{q}' is within {edits} edit(s) of '{w}' but shares no deletion key");
                }
            }
        }

        Assert.True(pairs > 1_000, $"only {pairs} pairs within the allowed edits: the test proves little");
    }

    [Fact]
    public void Keys_come_from_the_rules_names_variants_and_badges()
    {
        var document = OfficerSearchDocument.From("r1/b1", ConformanceData.OBrien with { NameVariants = ["Siobhan O'Brien", "Ó Briain, Siobhán"], Badges = ["6002", "A-12"] });

        Assert.Equal(["6002", "a12"], document.BadgeKeys);
        Assert.Contains("obrien", document.NamePrefixes);   // two adjacent words concatenated
        Assert.Contains("briain", document.NamePrefixes);   // a variant, accents stripped
        Assert.Contains("o", document.NamePrefixes);
        Assert.Contains("sobhan", document.NameDeletions);  // 2 edits' worth for a 7-letter word
        Assert.Contains("siobhan", document.NameDeletions);
        Assert.DoesNotContain("", document.NameDeletions);
        Assert.Equal(ConformanceData.OBrien.Id, document.Id);
        Assert.Equal(6, document.Complaints);
    }

    [Fact]
    public void Prefixes_stop_at_100_code_points_and_words_longer_than_102_get_no_deletion_keys()
    {
        // The words: 60 a's, 60 b's, and their concatenation (120 code points).
        var document = OfficerSearchDocument.From("r1/b1", Named(new string('a', 60) + " " + new string('b', 60)));

        Assert.Equal(100, document.NamePrefixes.Max(p => p.Length));
        Assert.Contains(new string('a', 60) + new string('b', 40), document.NamePrefixes);
        Assert.Contains(new string('b', 58), document.NameDeletions);
        Assert.DoesNotContain(document.NameDeletions, d => d.Contains('a', StringComparison.Ordinal) && d.Contains('b', StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_are_key_safe_and_unambiguous()
    {
        string[] parts = ["a_b", "a", "b_c", "off-0000000000000001", "O'Brien's", "gen/1", "é", "=", "_", "x y"];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var build in parts)
        {
            foreach (var id in parts)
            {
                var key = SearchKeys.Officer(build, id);
                Assert.Matches(new Regex("^[A-Za-z0-9=-][A-Za-z0-9=_-]*$"), key);
                Assert.Equal(1, key.Count(c => c == '_'));
                Assert.True(keys.Add(key), $"'{build}' + '{id}' gives the key {key} twice");
            }
        }

        Assert.Equal("off-0000000000000001", SearchKeys.Escape("off-0000000000000001"));
        Assert.Equal("=C3=A9=5F=3D", SearchKeys.Escape("é_="));
        Assert.DoesNotContain('_', SearchKeys.Pointer);
        Assert.Throws<ArgumentException>(() => SearchKeys.Officer(new string('g', 1_100), "off-1"));
    }

    private static OfficerDocument Named(string name) => ConformanceData.Officer("off-00000000000000f1", name, 0, ["1"]);
}
