namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>How words join into one name.</summary>
internal static class NameRuns
{
    /// <summary>Whether a name run can continue from <paramref name="t"/> to the next token.</summary>
    public static bool Continues(in Token t, bool lenient) => t.Gap switch
    {
        Gap.Space => true,
        Gap.Dot => (t.Flags & Tf.Single) != 0 || (t.Lex & Lex.Particle) != 0 || (t.Lex & Lex.Title) != 0,
        Gap.Comma => lenient,
        _ => false,
    };
}
