namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// A span a recognizer proposes: a kind of personal data and a confidence in [0, 1]. The decision step masks the
/// candidates that reach <see cref="SpanDecision.Threshold"/> after context enhancement.
/// </summary>
internal struct Candidate
{
    public int Start;
    public int End;
    public PiiKind Kind;
    public float Score;

    /// <summary>The kinds of context words that raise the score (<see cref="ContextEnhancer"/>).</summary>
    public ContextCue Context;

    /// <summary>Set by the decision step when the candidate lost to a stronger overlapping one or to an officer.</summary>
    public bool Rejected;

    public readonly int Length => End - Start;
}

/// <summary>The context words that raise a candidate's score, per kind of candidate.</summary>
[Flags]
internal enum ContextCue : byte
{
    None = 0,
    Person = 1,
    Home = 2,
    Phone = 4,
    Vehicle = 8,

    /// <summary>Only a structural cue lifts it: a descriptor right after ("PA, 46/W/F"), a role noun and a comma right before.</summary>
    Structural = 16,
}

/// <summary>
/// One narrative under analysis: its text, tokens, the record's context, the candidates the recognizers propose and
/// the ranges protected as officers' names. One instance per thread, reused (<see cref="Rent"/>).
/// </summary>
internal sealed class FreeTextDocument
{
    [ThreadStatic]
    private static FreeTextDocument? cached;

    public string Text { get; private set; } = string.Empty;

    public ScrubContext Context { get; private set; } = ScrubContext.Empty;

    public ScrubberOptions Options { get; private set; } = ScrubberOptions.Default;

    /// <summary>How many digits the text has: recognizers of numbers skip a text with too few.</summary>
    public int DigitCount { get; private set; }

    /// <summary>True when most words are in capitals: capitals then tell nothing.</summary>
    public bool UpperCase { get; set; }

    /// <summary>This thread's cache of recent lexicon lookups (<see cref="WordTable.Get(ReadOnlySpan{char}, ulong, ulong[], Lex[])"/>).</summary>
    public readonly ulong[] LexiconCacheKeys = new ulong[4096];
    public readonly Lex[] LexiconCacheValues = new Lex[4096];

    public Token[] Tokens = new Token[256];
    public int TokenCount;
    public Candidate[] Candidates = new Candidate[32];
    public int CandidateCount;
    public PiiSpan[] Spans = new PiiSpan[32];
    public int SpanCount;
    public CtxToken[] Ctx = new CtxToken[16];
    public int CtxCount;

    public static FreeTextDocument Rent(string text, ScrubContext context, ScrubberOptions options)
    {
        var doc = cached ??= new FreeTextDocument();
        doc.Reset(text, context, options);
        return doc;
    }

    private void Reset(string text, ScrubContext context, ScrubberOptions options)
    {
        if (Tokens.Length > 8192)
        {
            Tokens = new Token[256]; // one huge narrative does not pin its working memory to the thread
        }

        Text = text;
        DigitCount = CountDigits(text);
        Context = context;
        Options = options;
        UpperCase = false;
        TokenCount = 0;
        CandidateCount = 0;
        SpanCount = 0;
        Array.Clear(Ctx, 0, CtxCount);
        CtxCount = 0;
    }

    private static int CountDigits(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += (uint)(c - '0') <= 9 ? 1 : 0;
        }

        return count;
    }

    public Span<Token> TokenSpan => Tokens.AsSpan(0, TokenCount);

    public Span<Candidate> CandidateSpan => Candidates.AsSpan(0, CandidateCount);

    public void AddToken(Token token)
    {
        if (TokenCount == Tokens.Length)
        {
            Array.Resize(ref Tokens, Tokens.Length * 2);
        }

        Tokens[TokenCount++] = token;
    }

    /// <summary>Proposes a span; empty or inverted ranges are ignored.</summary>
    public void Propose(int start, int end, PiiKind kind, float score, ContextCue context = ContextCue.None)
    {
        if (end <= start)
        {
            return;
        }

        if (CandidateCount == Candidates.Length)
        {
            Array.Resize(ref Candidates, Candidates.Length * 2);
        }

        Candidates[CandidateCount++] = new Candidate { Start = start, End = end, Kind = kind, Score = score, Context = context };
    }

    public void AddSpan(int start, int end, PiiKind kind)
    {
        if (SpanCount == Spans.Length)
        {
            Array.Resize(ref Spans, Spans.Length * 2);
        }

        Spans[SpanCount++] = new PiiSpan(start, end - start, kind);
    }

    public void AddCtx(CtxToken token)
    {
        if (CtxCount == Ctx.Length)
        {
            Array.Resize(ref Ctx, Ctx.Length * 2);
        }

        Ctx[CtxCount++] = token;
    }

    /// <summary>The token's characters.</summary>
    public ReadOnlySpan<char> Word(in Token t) => Text.AsSpan(t.Start, t.Length);

    /// <summary>The index of the first token that ends after <paramref name="position"/>, or <see cref="TokenCount"/>.</summary>
    public int TokenAt(int position)
    {
        int lo = 0, hi = TokenCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (Tokens[mid].End <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

internal enum CtxRole : byte
{
    Given,
    Surname,
    Initial,

    /// <summary>An officer known by initials only ("XK"): the whole capital token is protected.</summary>
    Initials,
}

/// <summary>A word of a name the record gives (an officer's or a known private person's), with whose it is.</summary>
internal readonly record struct CtxToken(string Source, int Start, int Length, int Owner, bool Officer, CtxRole Role, bool Hyphen)
{
    /// <summary>The hash of the folded word, as <see cref="Token.Hash"/>.</summary>
    public ulong Hash { get; init; }
}
