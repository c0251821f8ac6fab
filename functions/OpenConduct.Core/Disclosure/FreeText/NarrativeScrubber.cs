using System.Runtime.CompilerServices;
using OpenConduct.Core.Disclosure.FreeText;

namespace OpenConduct.Core.Disclosure;

/// <summary>
/// Removes personal data from free-text narratives, replacing each item with a typed placeholder ([NAME], [INITIALS],
/// [DEMOGRAPHIC], [ADDRESS], [PHONE], [EMAIL], [SSN], [DOB], [PLATE], [PARTY], [ID]), then checks what is left with the
/// residual-risk gate. Stateless and thread-safe; one instance can serve every record.
/// </summary>
/// <remarks>
/// The architecture, one file each under Disclosure/FreeText/ (docs/disclosure.md, "Free text, step by step"):
/// recognizers (<see cref="RecognizerRegistry"/>) propose candidate spans with scores, pattern recognizers on the text
/// and token recognizers on the words the <see cref="Tokenizer"/> classified against the <see cref="Lexicon"/>;
/// <see cref="ContextEnhancer"/> raises weak candidates near context words; <see cref="SpanDecision"/> decides and merges,
/// officers' names winning over names; <see cref="ResidualRiskGate"/> withholds the narrative, or masks more, when a
/// word left still looks like a person identifier. Working memory is per thread and reused; the result string is the
/// one allocation when something is replaced.
/// </remarks>
public sealed class NarrativeScrubber
{
    private readonly ScrubberOptions options;
    private readonly IReadOnlyList<IFreeTextRecognizer> recognizers;

    /// <param name="options">Demographics published, the residual-risk gate, officers by rank; <see cref="ScrubberOptions.Default"/> when null.</param>
    public NarrativeScrubber(ScrubberOptions? options = null)
    {
        this.options = options ?? ScrubberOptions.Default;
        recognizers = RecognizerRegistry.Default;
    }

    public ScrubberOptions Options => options;

    /// <summary>The placeholder written for a kind.</summary>
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Name => "[NAME]",
        PiiKind.Initials => "[INITIALS]",
        PiiKind.Demographic => "[DEMOGRAPHIC]",
        PiiKind.Address => "[ADDRESS]",
        PiiKind.Phone => "[PHONE]",
        PiiKind.Email => "[EMAIL]",
        PiiKind.Ssn => "[SSN]",
        PiiKind.DateOfBirth => "[DOB]",
        PiiKind.LicensePlate => "[PLATE]",
        PiiKind.CaseLabel => "[PARTY]",
        PiiKind.OtherId => "[ID]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Replaces the personal data in <paramref name="text"/>; returns the same string when there is none, and a null
    /// text when the residual-risk gate withholds the narrative (<see cref="ScrubResult.Withheld"/> says why).
    /// </summary>
    public ScrubResult Scrub(string text, ScrubContext context) => Scrub(text, context, null);

    /// <summary>As <see cref="Scrub(string, ScrubContext)"/>, also adding each replaced input range to <paramref name="found"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ScrubResult Scrub(string text, ScrubContext context, List<PiiSpan>? found) => Scrub(text, context, found, out _);

    /// <summary>As <see cref="Scrub(string, ScrubContext, List{PiiSpan})"/>; <paramref name="suspect"/>: where the gate's first suspect word starts, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ScrubResult Scrub(string text, ScrubContext context, List<PiiSpan>? found, out int suspect)
    {
        suspect = -1;
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(text))
        {
            return new ScrubResult(text ?? string.Empty, default);
        }

        var doc = Analyze(text, context);
        var risk = ResidualRiskGate.Check(doc, mask: options.ResidualRisk == ResidualRiskAction.Mask, out suspect);
        var spans = doc.Spans.AsSpan(0, doc.SpanCount);
        var counts = new int[PiiCounts.KindCount];
        foreach (ref readonly var span in spans)
        {
            counts[(int)span.Kind]++;
            found?.Add(span);
        }

        if (risk != ResidualRisk.None && options.ResidualRisk == ResidualRiskAction.Withhold)
        {
            return new ScrubResult(null, PiiCounts.From(counts), risk);
        }

        return new ScrubResult(Render(text, doc), PiiCounts.From(counts));
    }

    /// <summary>
    /// What a reviewer sees of a narrative (docs/review.md): the automatic masks (the recognizers', and the residual-risk
    /// gate's when the policy masks suspect words) and every word the gate still finds suspect, as ranges of
    /// <paramref name="text"/>. Unlike <see cref="Scrub(string, ScrubContext)"/> nothing is withheld: a person decides.
    /// </summary>
    public NarrativeAnalysis Review(string text, ScrubContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        if (text.Length == 0)
        {
            return new NarrativeAnalysis([], []);
        }

        var doc = Analyze(text, context);
        var flags = new List<TextFlag>();
        ResidualRiskGate.Check(doc, mask: options.ResidualRisk == ResidualRiskAction.Mask, out _, flags);
        var masks = new TextMask[doc.SpanCount];
        for (var i = 0; i < masks.Length; i++)
        {
            var span = doc.Spans[i];
            masks[i] = new TextMask(span.Start, span.Length, span.Kind);
        }

        // A masked word is no longer suspect: flags only for what the masks leave.
        flags.RemoveAll(f => Array.Exists(masks, m => m.Start < f.Start + f.Length && f.Start < m.Start + m.Length));
        return new NarrativeAnalysis(masks, flags);
    }

    /// <summary>
    /// <paramref name="text"/> with each mask replaced by its kind's placeholder. The masks must not overlap (sorted here by
    /// start); a mask outside the text is an error.
    /// </summary>
    public static string Render(string text, IEnumerable<TextMask> masks)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(masks);
        var spans = masks.OrderBy(m => m.Start).Select(m => new PiiSpan(m.Start, m.Length, m.Kind)).ToArray();
        var at = 0;
        foreach (var span in spans)
        {
            if (span.Start < at || span.Length <= 0 || span.End > text.Length)
            {
                throw new ArgumentException($"mask at {span.Start} (length {span.Length}) overlaps another or lies outside the text of {text.Length} characters", nameof(masks));
            }

            at = span.End;
        }

        return Render(text, spans, spans.Length);
    }

    /// <summary>Runs the recognizers and the decision; the document holds the spans to mask.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal FreeTextDocument Analyze(string text, ScrubContext context)
    {
        var doc = FreeTextDocument.Rent(text, context, options);
        foreach (var recognizer in recognizers)
        {
            if (recognizer.Stage == RecognizerStage.Pattern)
            {
                recognizer.Analyze(doc);
            }
        }

        Tokenizer.Tokenize(doc);
        Tokenizer.Classify(doc);
        BlockPatternSpans(doc);
        foreach (var recognizer in recognizers)
        {
            if (recognizer.Stage == RecognizerStage.Token)
            {
                recognizer.Analyze(doc);
            }
        }

        SpanDecision.Decide(doc);
        return doc;
    }

    /// <summary>No name is looked for inside what a pattern recognizer found (an address, a phone, a descriptor).</summary>
    private static void BlockPatternSpans(FreeTextDocument doc)
    {
        var tokens = doc.Tokens;
        foreach (ref readonly var c in doc.CandidateSpan)
        {
            for (var k = doc.TokenAt(c.Start); k < doc.TokenCount && tokens[k].Start < c.End; k++)
            {
                tokens[k].Flags |= Tf.Blocked;
            }
        }
    }

    /// <summary>The text with each span replaced by its placeholder: one allocation, the result.</summary>
    private static string Render(string text, FreeTextDocument doc) => Render(text, doc.Spans, doc.SpanCount);

    /// <summary>
    /// The text with the first <paramref name="count"/> spans (sorted, not overlapping) replaced by their placeholders:
    /// one allocation, the result (the text itself when there is none).
    /// </summary>
    private static string Render(string text, PiiSpan[] spans, int count)
    {
        if (count == 0)
        {
            return text;
        }

        var length = text.Length;
        foreach (ref readonly var span in spans.AsSpan(0, count))
        {
            length += Placeholder(span.Kind).Length - span.Length;
        }

        return string.Create(length, (text, spans, count), static (destination, state) =>
        {
            var (source, all, n) = state;
            var at = 0;
            var written = 0;
            foreach (ref readonly var span in all.AsSpan(0, n))
            {
                source.AsSpan(at, span.Start - at).CopyTo(destination[written..]);
                written += span.Start - at;
                var placeholder = Placeholder(span.Kind);
                placeholder.CopyTo(destination[written..]);
                written += placeholder.Length;
                at = span.End;
            }

            source.AsSpan(at).CopyTo(destination[written..]);
        });
    }

    /// <summary>True when the scrubber's name lists hold <paramref name="word"/> as a given name or a surname.</summary>
    internal static bool InGazetteer(string word) => (Lexicon.Get(word) & (Lex.First | Lex.Last)) != 0;
}
