using OpenConduct.Core.Officers;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>The rules of docs/search.md, one by one, without an index.</summary>
public sealed class OfficerSearchRulesTests
{
    [Theory]
    [InlineData("  John  A. Smith ", "john a smith")]
    [InlineData("José Martínez-García", "jose martinez garcia")]
    [InlineData("Søren Ødegård", "soren odegard")]
    [InlineData("Æsa Straße Łukasz Đorđe Þór", "aesa strasse lukasz dorde thor")]
    [InlineData("O'Brien", "o brien")]
    [InlineData("ＡＢＣ４", "abc4")]              // full-width (NFKD)
    [InlineData("ﬁnn", "finn")]                  // ligature (NFKD)
    [InlineData("İstanbul", "istanbul")]
    [InlineData("name:\"x\" AND y*", "name x and y")]
    [InlineData("👮Kowalski🚓", "kowalski")]
    [InlineData("a\0b\u001fc", "a b c")]
    [InlineData("\ud800x\udc00y", "x y")]          // lone surrogates separate words
    [InlineData("𠀋𠀌", "𠀋𠀌")]                    // supplementary letters are letters
    [InlineData("", "")]
    [InlineData(" \t\n", "")]
    [InlineData("*?~^\\/()[]{}", "")]
    public void Normalisation(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', OfficerSearchRules.Words(text)));

    [Fact]
    public void A_query_keeps_ten_words_of_at_most_100_code_points()
    {
        var keys = QueryKeys.From(string.Join(' ', Enumerable.Range(0, 12).Select(i => new string((char)('a' + i), 150))));

        Assert.Equal(10, keys.Words.Count);
        Assert.All(keys.Words, w => Assert.Equal(100, w.Length));
        Assert.Equal(new string('j', 100), keys.Words[^1]);
        Assert.Equal(100, OfficerSearchRules.Words(string.Concat(Enumerable.Repeat("𠀋", 150)))[0].Length / 2);
    }

    [Theory]
    [InlineData("smith", "smith", 0)]
    [InlineData("smith", "smyth", 1)]
    [InlineData("smith", "smiht", 1)]      // transposition
    [InlineData("smith", "mith", 1)]
    [InlineData("smith", "smithe", 1)]
    [InlineData("kowalski", "kovalsky", 2)]
    [InlineData("kowalski", "kavalsky", 3)]
    [InlineData("ca", "abc", 3)]            // optimal string alignment: no edit of a transposed pair
    [InlineData("", "abc", 3)]
    [InlineData("𠀋a", "a𠀋", 1)]            // code points, not UTF-16 units
    public void Edit_distance(string a, string b, int expected)
    {
        Assert.Equal(expected, OfficerSearchRules.EditDistance(a, b, 3));
        Assert.Equal(expected, OfficerSearchRules.EditDistance(b, a, 3));
        Assert.Equal(Math.Min(expected, 2), OfficerSearchRules.EditDistance(a, b, 1));
    }

    [Theory]
    [InlineData("4127", "4127")]
    [InlineData("A-3310", "a3310")]
    [InlineData(" #0042 ", "42")]          // all digits: leading zeros do not count, as in identity
    [InlineData("032395", "32395")]
    [InlineData("0000", "0")]
    [InlineData("A-0042", "a0042")]        // not all digits: kept
    [InlineData("--", null)]
    public void Badge_keys(string badge, string? expected) => Assert.Equal(expected, OfficerSearchRules.BadgeKey(badge));

    [Theory]
    [InlineData("4127", OfficerMatch.Badge)]
    [InlineData("a 3310", OfficerMatch.Badge)]
    [InlineData("John A Smith", OfficerMatch.ExactName)]
    [InlineData("smith john a", OfficerMatch.ExactName)]
    [InlineData("John Smith", OfficerMatch.ExactName)]
    [InlineData("Johnny Smith", OfficerMatch.ExactName)]       // a variant
    [InlineData("Jo Sm", OfficerMatch.Prefix)]
    [InlineData("John Smith Smith", OfficerMatch.Prefix)]
    [InlineData("john a", OfficerMatch.Prefix)]
    [InlineData("johnsmith", OfficerMatch.Fuzzy)]              // 2 deletions from the joined words "johnnysmith"
    [InlineData("Jonh Smiht", OfficerMatch.Fuzzy)]
    [InlineData("Jon Smyth", OfficerMatch.Fuzzy)]
    [InlineData("Jahn Smoth", OfficerMatch.Fuzzy)]
    [InlineData("J Smyth", OfficerMatch.Fuzzy)]
    [InlineData("John Q Smith", null)]                          // a one-letter word must start a name word
    [InlineData("Jx Smith", null)]                              // so must a two-letter word
    [InlineData("Jahn Smoothe", null)]                          // 3 edits from "smith" (7 letters: 2 allowed)
    public void Tiers(string text, OfficerMatch? expected)
    {
        var officer = OfficerKeys.From("John A. Smith", ["John A. Smith", "Johnny Smith"], "A-3310", ["4127", "A-3310"]);

        Assert.Equal(expected, OfficerSearchRules.Match(QueryKeys.From(text), officer));
    }

    [Fact]
    public void Joined_adjacent_words_are_name_words()
    {
        var officer = OfficerKeys.From("Henrik Van Dyke", [], null, []);

        Assert.Equal(OfficerMatch.Prefix, OfficerSearchRules.Match(QueryKeys.From("vandyke"), officer));
        Assert.Equal(OfficerMatch.Prefix, OfficerSearchRules.Match(QueryKeys.From("henrik vand"), officer));
        Assert.Equal(OfficerMatch.ExactName, OfficerSearchRules.Match(QueryKeys.From("van dyke henrik"), officer));
        Assert.Null(OfficerSearchRules.Match(QueryKeys.From(""), officer));
    }

    [Theory]
    [InlineData("robert", "r163")]
    [InlineData("rupert", "r163")]
    [InlineData("rubin", "r150")]
    [InlineData("ashcraft", "a261")]     // h does not separate s and c
    [InlineData("tymczak", "t522")]      // a vowel separates z and k
    [InlineData("pfister", "p236")]      // f has the first letter's code
    [InlineData("honeyman", "h555")]
    [InlineData("johnson", "j525")]
    [InlineData("jonson", "j525")]
    [InlineData("jason", "j250")]
    [InlineData("lee", "l000")]
    [InlineData("4127", null)]
    public void Soundex(string word, string? expected) => Assert.Equal(expected, NameSimilarity.Soundex(word));

    [Fact]
    public void Nicknames_come_from_the_licensed_list_and_the_supplement()
    {
        Assert.Contains("william", NameSimilarity.Nicknames("bill"));
        Assert.Contains("billy", NameSimilarity.Nicknames("william"));
        Assert.True(NameSimilarity.AreNicknames("bill", "will"));
        Assert.True(NameSimilarity.AreNicknames("jack", "john"));     // the supplement
        Assert.False(NameSimilarity.AreNicknames("bill", "bill"));
        Assert.False(NameSimilarity.AreNicknames("bill", "robert"));
        Assert.Empty(NameSimilarity.Nicknames("kowalski"));
    }

    [Theory]
    [InlineData("smith", "John Smith", "John Smithers")]                 // the word itself before a longer word it starts
    [InlineData("smith", "John Smithe", "John Smithsonian")]             // a shorter completion first
    [InlineData("jonson", "Jason U Johnson", "Jason Carlson")]           // 1 edit before 2
    [InlineData("smyth", "Ann Smith", "Ann Sayth")]                      // 1 edit each: sounding alike first
    [InlineData("bill smith", "William Smith", "Billie Smithers")]       // a nickname before a completion
    [InlineData("john smith", "John Paul Smith", "Johnny Smithson")]
    public void Closeness_orders_matches_within_a_tier(string text, string closer, string farther)
    {
        var query = QueryKeys.From(text);
        var a = OfficerSearchRules.Score(query, OfficerKeys.From(closer, [], null, []));
        var b = OfficerSearchRules.Score(query, OfficerKeys.From(farther, [], null, []));

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal(a.Value.Tier, b.Value.Tier);
        Assert.True(a.Value.Distance < b.Value.Distance, $"'{text}': {closer} {a} should be closer than {farther} {b}");
        Assert.True(OfficerSearchRules.Compare(a.Value, 0, closer, "x", b.Value, 100, farther, "y") < 0);
    }

    [Fact]
    public void An_unpublished_name_gives_no_name_keys_and_identifiers_are_badge_keys()
    {
        var document = new OfficerDocument
        {
            Id = "off-1",
            DisplayName = OfficerDocumentBuilder.UnnamedOfficer,
            NameVariants = [OfficerDocumentBuilder.UnnamedOfficer],
            NamePublished = false,
            EmployeeIds = ["0071-B"],
            Badges = ["00912"],
        };
        var keys = OfficerKeys.From(document);

        Assert.Empty(keys.Words);
        Assert.Empty(keys.SortedNames);
        Assert.Equal(["912", "0071b"], keys.BadgeKeys);
        Assert.Null(OfficerSearchRules.Score(QueryKeys.From("name not published"), keys));
        Assert.Equal(OfficerMatch.Badge, OfficerSearchRules.Match(QueryKeys.From("0071 B"), keys));
        Assert.Equal(OfficerMatch.Badge, OfficerSearchRules.Match(QueryKeys.From("912"), keys));
    }

    [Fact]
    public void Three_adjacent_words_are_joined_for_compound_surnames()
    {
        var officer = OfficerKeys.From("Marta De La Cruz", [], null, []);

        Assert.Contains("delacruz", officer.Words);
        Assert.Equal(new OfficerScore(OfficerMatch.Prefix, 0), OfficerSearchRules.Score(QueryKeys.From("delacruz"), officer));
    }

    [Fact]
    public void Paging_bounds()
    {
        Assert.Equal(0, OfficerSearchRules.ClampSkip(-1));
        Assert.Equal(7, OfficerSearchRules.ClampSkip(7));
        Assert.Equal(1, OfficerSearchRules.ClampTake(0));
        Assert.Equal(50, OfficerSearchRules.ClampTake(51));
        Assert.Equal(10, OfficerSearchRules.ClampTake(10));
    }
}
