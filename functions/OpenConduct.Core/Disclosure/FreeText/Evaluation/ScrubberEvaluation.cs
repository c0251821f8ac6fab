using System.Globalization;
using System.Text;
using OpenConduct.Core.Disclosure.FreeText;

namespace OpenConduct.Core.Disclosure;

/// <summary>
/// Measures the scrubber on a labelled set: recall per kind (a labelled occurrence is caught when every character of it
/// is masked; "published" also counts the narratives the residual-risk gate withheld), officers' mentions masked,
/// over-scrubbing (dictionary words masked outside every labelled span, per word of the set), narratives withheld by
/// reason. Figures only: never a value, so that the report of a real set can be published.
/// </summary>
public static class ScrubberEvaluation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Labelled occurrences of one kind, how many the scrubber masked, and how many are caught once withheld narratives count.</summary>
    public sealed record KindFigures(string Kind, int Labelled, int Masked, int CaughtOrWithheld)
    {
        public double Recall => Labelled == 0 ? 1 : (double)Masked / Labelled;

        public double PublishedRecall => Labelled == 0 ? 1 : (double)CaughtOrWithheld / Labelled;
    }

    /// <summary>The figures of one set. <see cref="Misses"/>: excerpts for a developer's eyes only (never printed unless asked).</summary>
    public sealed record Report(
        string Set,
        int Narratives,
        int Words,
        IReadOnlyList<KindFigures> Kinds,
        int OfficerMentions,
        int OfficerMentionsMasked,
        int OnRecordMentions,
        int OnRecordMentionsMasked,
        int DictionaryWordsOverScrubbed,
        int WordsInPublished,
        int OverScrubbedInPublished,
        IReadOnlyDictionary<ResidualRisk, int> Withheld,
        IReadOnlyList<string> Misses)
    {
        public KindFigures this[string kind] => Kinds.First(k => k.Kind == kind);

        /// <summary>Dictionary words masked outside every labelled span, per word of the set (before the gate).</summary>
        public double OverScrubRate => Words == 0 ? 0 : (double)DictionaryWordsOverScrubbed / Words;

        public int WithheldCount => Withheld.Values.Sum();

        /// <summary>Names and initials together: the first target.</summary>
        public double NamesAndInitialsRecall
        {
            get
            {
                var l = this["name"].Labelled + this["initials"].Labelled;
                return l == 0 ? 1 : (double)(this["name"].Masked + this["initials"].Masked) / l;
            }
        }

        public string ToMarkdown()
        {
            var b = new StringBuilder();
            b.Append(Inv, $"{Set}: {Narratives} narratives, {Words:N0} words.\n\n");
            b.Append("| Kind | Labelled | Masked | Recall | Caught or withheld | Recall, published |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (var k in Kinds.Where(k => k.Labelled > 0))
            {
                b.Append(Inv, $"| {k.Kind} | {k.Labelled} | {k.Masked} | {k.Recall:0.000} | {k.CaughtOrWithheld} | {k.PublishedRecall:0.000} |\n");
            }

            b.Append(Inv, $"\nNames and initials: recall {NamesAndInitialsRecall:0.000}. Officers' mentions: {OfficerMentions}, masked: {OfficerMentionsMasked}; of officers on the record: {OnRecordMentions}, masked: {OnRecordMentionsMasked}.\n");
            b.Append(Inv, $"Over-scrub: {DictionaryWordsOverScrubbed} dictionary words masked outside the labels, {OverScrubRate:0.0000} of {Words:N0} words");
            b.Append(Inv, $" (published narratives only: {OverScrubbedInPublished} of {WordsInPublished:N0}, {(WordsInPublished == 0 ? 0 : (double)OverScrubbedInPublished / WordsInPublished):0.0000}).\n");
            b.Append(Inv, $"Withheld by the residual-risk gate: {WithheldCount} of {Narratives}");
            if (WithheldCount > 0)
            {
                b.Append(" (").Append(string.Join(", ", Withheld.Where(w => w.Value > 0).Select(w => string.Create(Inv, $"{w.Key} {w.Value}")))).Append(')');
            }

            return b.Append(".\n").ToString();
        }
    }

    /// <summary>Scrubs every narrative of a set with <paramref name="scrubber"/> and measures it against its labels.</summary>
    public static Report Run(string set, IReadOnlyList<LabelledNarrative> narratives, NarrativeScrubber scrubber, int maxMisses = 0)
    {
        ArgumentNullException.ThrowIfNull(narratives);
        ArgumentNullException.ThrowIfNull(scrubber);
        var labelled = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var kind in LabelledNarratives.Kinds)
        {
            labelled[kind] = new int[3];
        }

        int words = 0, overScrubbed = 0, wordsPublished = 0, overPublished = 0, mentions = 0, mentionsMasked = 0, onRecord = 0, onRecordMasked = 0;
        var withheld = Enum.GetValues<ResidualRisk>().Where(r => r != ResidualRisk.None).ToDictionary(r => r, _ => 0);
        var misses = new List<string>();
        var spans = new List<PiiSpan>();
        foreach (var n in narratives)
        {
            spans.Clear();
            var result = scrubber.Scrub(n.Text, new ScrubContext(n.OfficersOnRecord, n.KnownPrivateNames), spans, out var suspect);
            var isWithheld = result.Withheld != ResidualRisk.None;
            if (isWithheld)
            {
                withheld[result.Withheld]++;
                if (suspect >= 0 && misses.Count < maxMisses)
                {
                    misses.Add($"{set} {n.Id} withheld ({result.Withheld}): ...{Excerpt(n.Text, suspect)}...");
                }
            }

            var privateRanges = new List<(int Start, int End)>();
            foreach (var label in n.Private)
            {
                var counts = labelled.TryGetValue(label.Kind, out var c) ? c : labelled[label.Kind] = new int[3];
                foreach (var start in Occurrences(n.Text, label))
                {
                    var end = start + label.Text.Length;
                    privateRanges.Add((start, end));
                    counts[0]++;
                    var masked = Covered(start, end, spans);
                    counts[1] += masked ? 1 : 0;
                    counts[2] += masked || isWithheld ? 1 : 0;
                    if (!masked && misses.Count < maxMisses)
                    {
                        misses.Add($"{set} {n.Id} {label.Kind} '{label.Text}': ...{Excerpt(n.Text, start)}...");
                    }
                }
            }

            foreach (var officer in n.Officers.Distinct(StringComparer.Ordinal))
            {
                foreach (var start in WordOccurrences(n.Text, officer))
                {
                    var end = start + officer.Length;
                    if (privateRanges.Any(r => r.Start < end && start < r.End))
                    {
                        continue; // the same letters as a civilian's initials or a descriptor: not this officer
                    }

                    mentions++;
                    var recorded = OnRecord(officer, n.OfficersOnRecord);
                    onRecord += recorded ? 1 : 0;
                    if (spans.Any(s => s.Start < end && start < s.End))
                    {
                        mentionsMasked++;
                        onRecordMasked += recorded ? 1 : 0;
                        if (misses.Count < maxMisses)
                        {
                            misses.Add($"{set} {n.Id} officer '{officer}' masked: ...{Excerpt(n.Text, start)}...");
                        }
                    }
                }
            }

            var (w, o) = OverScrub(n.Text, spans, privateRanges, misses, maxMisses, set, n.Id);
            words += w;
            overScrubbed += o;
            if (!isWithheld)
            {
                wordsPublished += w;
                overPublished += o;
            }
        }

        var kinds = labelled.Select(k => new KindFigures(k.Key, k.Value[0], k.Value[1], k.Value[2])).ToList();
        return new Report(set, narratives.Count, words, kinds, mentions, mentionsMasked, onRecord, onRecordMasked, overScrubbed, wordsPublished, overPublished, withheld, misses);
    }

    /// <summary>Whether a labelled officer mention is (part of) a name or the initials the record gives.</summary>
    private static bool OnRecord(string mention, IReadOnlyList<string> officersOnRecord)
    {
        foreach (var name in officersOnRecord)
        {
            if (string.Equals(name.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), mention.Replace(".", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
                || name.Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries).Any(p => p.Length > 1 && string.Equals(p, mention, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The start of every occurrence the label means: its pinned start, or its listed or all word-bounded occurrences.</summary>
    public static IEnumerable<int> Occurrences(string text, PrivateLabel label)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(label);
        if (label.Start is { } start)
        {
            return [start];
        }

        var all = WordOccurrences(text, label.Text);
        return label.Occurrences is { } listed ? listed.Where(i => i >= 0 && i < all.Count).Select(i => all[i]) : all;
    }

    private static List<int> WordOccurrences(string text, string value)
    {
        var result = new List<int>();
        if (value.Length == 0)
        {
            return result;
        }

        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            var before = i == 0 || !char.IsLetterOrDigit(text[i - 1]);
            var end = i + value.Length;
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]) || !char.IsLetterOrDigit(value[^1]);
            if (before && after)
            {
                result.Add(i);
            }
        }

        return result;
    }

    private static bool Covered(int start, int end, List<PiiSpan> spans)
    {
        var at = start;
        foreach (var s in spans.OrderBy(s => s.Start))
        {
            if (s.Start <= at && s.End > at)
            {
                at = s.End;
            }
        }

        return at >= end;
    }

    /// <summary>Words (letter runs) of the text, and those that are dictionary words masked outside every private range.</summary>
    private static (int Words, int OverScrubbed) OverScrub(string text, List<PiiSpan> spans, List<(int Start, int End)> privateRanges, List<string> misses, int maxMisses, string set, string id)
    {
        int words = 0, over = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || (text[i] is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            words++;
            var end = i;
            if (spans.Any(s => s.Start < end && start < s.End) && !privateRanges.Any(r => r.Start < end && start < r.End)
                && text.AsSpan(start, end - start) is var word && word.Length > 1 && Lexicon.IsEnglishWord(word))
            {
                over++;
                if (misses.Count < maxMisses)
                {
                    misses.Add($"{set} {id} over-scrubbed '{word}': ...{Excerpt(text, start)}...");
                }
            }
        }

        return (words, over);
    }

    private static string Excerpt(string text, int at)
    {
        var from = Math.Max(0, at - 40);
        return text.Substring(from, Math.Min(text.Length - from, 90)).ReplaceLineEndings(" ");
    }
}
