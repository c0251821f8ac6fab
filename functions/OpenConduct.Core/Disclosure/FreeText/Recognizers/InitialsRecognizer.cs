namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// A private person's initials: two or three capitals in a narrative written in mixed case ("QZ", "TJC"), including
/// initials that look like words or suffixes ("AS", "HE", "JR", "DR"); dotted ("R.M", "J.C.", "J. C."); one letter after
/// a title ("Ms. B"). Acronyms (agencies, units, state codes, "ID", "TV") start with a low score that only a person
/// cue raises ("The complainant, PA, 40/W/F"); an officer's initials (on the record or after a rank) are protected
/// and never taken. In a narrative written in capitals only a non-word with a person cue counts.
/// </summary>
internal sealed class InitialsRecognizer : IFreeTextRecognizer
{
    public string Name => "initials";

    public RecognizerStage Stage => RecognizerStage.Token;

    public void Analyze(FreeTextDocument doc)
    {
        var tokens = doc.TokenSpan;
        var text = doc.Text;
        Span<char> letters = stackalloc char[4];
        for (var i = 0; i < tokens.Length; i++)
        {
            ref readonly var t = ref tokens[i];
            if ((t.Flags & (Tf.Blocked | Tf.Protected | Tf.Name | Tf.Digit)) != 0)
            {
                continue;
            }

            if ((t.Flags & Tf.AllCaps) != 0 && (t.Length is 2 or 3 || (t.Length is 4 or 5 && doc.Word(t).ContainsAny('\'', '’', '-'))))
            {
                if ((t.Lex & Lex.Suffix) != 0 && i > 0 && (tokens[i - 1].Flags & (Tf.Name | Tf.Protected)) != 0 && NameRuns.Continues(tokens[i - 1], true))
                {
                    continue; // "John Smith JR": the suffix of a name
                }

                float score;
                if (doc.UpperCase)
                {
                    score = (t.Lex & (Lex.Word | Lex.Acronym | Lex.Function | Lex.Proper)) != 0 ? 0f : 0.3f;
                }
                else if ((t.Lex & Lex.Acronym) != 0 || InCapitalPhrase(tokens, i) || CodeFollows(tokens, i))
                {
                    score = 0.25f;
                }
                else
                {
                    score = 0.6f;
                }

                if (score > 0)
                {
                    // An acronym or a code label ("CCN 21-123456") is a person's initials only where the structure says so.
                    doc.Propose(t.Start, t.End, PiiKind.Initials, score, score < 0.5f && !doc.UpperCase ? ContextCue.Structural : ContextCue.Person);
                }

                continue;
            }

            // Dotted: "R.M", "R.M.", "J. C.", "J.D.M."
            if ((t.Flags & Tf.Single) != 0 && i + 1 < tokens.Length && InitialPart(tokens[i + 1])
                && (t.Gap == Gap.Dot || ((t.Flags & Tf.DotAfter) != 0 && tokens[i + 1].Start == t.End + 1)))
            {
                var end = i + 2;
                while (end < tokens.Length && end - i < 4 && InitialPart(tokens[end]) && tokens[end - 1].Gap == Gap.Dot)
                {
                    end++;
                }

                // "J. Smith": an initial before a name is part of the name, found by the name recognizer.
                var stop = tokens[end - 1].End;
                if ((tokens[end - 1].Flags & Tf.DotAfter) != 0)
                {
                    stop++;
                }

                for (var k = i; k < end; k++)
                {
                    letters[k - i] = char.ToLowerInvariant(text[tokens[k].Start]);
                }

                var acronym = (Lexicon.Get(letters[..(end - i)]) & (Lex.Acronym | Lex.Word | Lex.Directional)) != 0 || IsTimeOfDay(text, t.Start);
                doc.Propose(t.Start, stop, PiiKind.Initials, acronym ? 0.25f : 0.65f, acronym ? ContextCue.Structural : ContextCue.Person);
                i = end - 1;
                continue;
            }

            // One letter after a role or relationship: "her son, Q, was", "Civilian V came", "his friend, M."
            if ((t.Flags & Tf.Single) != 0 && i > 0 && (tokens[i - 1].Lex & Lex.Cue) != 0 && tokens[i - 1].Gap is Gap.Space or Gap.Comma
                && !(t.Gap == Gap.Dot && i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Cap) != 0 && (tokens[i + 1].Lex & Lex.Function) == 0 && (tokens[i + 1].Flags & Tf.SentenceStart) == 0))
            {
                doc.Propose(t.Start, t.End, PiiKind.Initials, 0.7f);
                continue;
            }

            // Any other lone capital that could be a person's initial ("A was treated", "assaulted A and"): proposed weakly,
            // it is masked only where the same letter was accepted as someone's initial (the decision's propagation).
            if ((t.Flags & Tf.Single) != 0 && text[t.Start] != 'I' && (t.Flags & Tf.DotAfter) == 0 && !doc.UpperCase
                && (i == 0 || (tokens[i - 1].Lex & Lex.Title) == 0)
                && ((t.Flags & Tf.SentenceStart) == 0 || (i + 1 < tokens.Length && (tokens[i + 1].Lex & (Lex.Verb | Lex.Aux)) != 0)))
            {
                doc.Propose(t.Start, t.End, PiiKind.Initials, 0.2f);
            }

            // One letter after a title: "Ms. B", "Mr. T."
            if ((t.Flags & Tf.Single) != 0 && i > 0 && (tokens[i - 1].Lex & Lex.Title) != 0 && (tokens[i - 1].Flags & Tf.Cap) != 0
                && tokens[i - 1].Gap is Gap.Space or Gap.Dot)
            {
                doc.Propose(t.Start, t.End, PiiKind.Initials, 0.8f);
            }
        }
    }

    /// <summary>One letter, or a hyphenated pair of capitals ("Q.X-Z.", "Z. Q-X."), not yet taken.</summary>
    private static bool InitialPart(in Token t) =>
        (t.Flags & (Tf.Blocked | Tf.Protected)) == 0 && ((t.Flags & Tf.Single) != 0 || ((t.Flags & (Tf.AllCaps | Tf.Hyphen)) == (Tf.AllCaps | Tf.Hyphen) && t.Length <= 3));

    /// <summary>"CCN 21-123456", "DC 4512": capitals before a number label the number.</summary>
    private static bool CodeFollows(Span<Token> tokens, int i) =>
        i + 1 < tokens.Length && tokens[i].Gap is Gap.Space or Gap.Other && (tokens[i + 1].Flags & Tf.Digit) != 0 && tokens[i + 1].Start <= tokens[i].End + 2;

    /// <summary>"CALL 911 NOW", "DO NOT ENTER": a word among capitalised words is shouting, not initials.</summary>
    private static bool InCapitalPhrase(Span<Token> tokens, int i)
    {
        var before = i > 0 && (tokens[i - 1].Flags & Tf.AllCaps) != 0 && tokens[i - 1].Length >= 4 && (tokens[i - 1].Lex & Lex.Word) != 0;
        var after = i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.AllCaps) != 0 && tokens[i + 1].Length >= 4 && (tokens[i + 1].Lex & Lex.Word) != 0;
        return before || after;
    }

    private static bool IsTimeOfDay(string text, int start) =>
        start + 3 <= text.Length && (text[start] is 'A' or 'P' or 'a' or 'p') && text[start + 1] == '.' && (text[start + 2] is 'M' or 'm');
}
