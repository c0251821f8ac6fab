namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>What separates a token from the next: one space, a dot, a comma (each with spaces after), or anything else.</summary>
internal enum Gap : byte
{
    Other,
    Space,
    Dot,
    Comma,
}

/// <summary>The shape of a token and what the analysis decided about it.</summary>
[Flags]
internal enum Tf : uint
{
    None = 0,
    Cap = 1,
    HasLower = 1 << 1,
    AllCaps = 1 << 2,
    Single = 1 << 3,
    DotAfter = 1 << 4,
    Digit = 1 << 5,
    Possessive = 1 << 6,

    /// <summary>Inside a span a pattern recognizer found: no name is looked for in it.</summary>
    Blocked = 1 << 7,
    Lower = 1 << 8,
    Hyphen = 1 << 9,

    /// <summary>Marked as (part of) a private person's name.</summary>
    Name = 1 << 10,

    /// <summary>An officer's name or initials: never masked.</summary>
    Protected = 1 << 11,
    OfficerGiven = 1 << 12,

    /// <summary>Part of a full name the record lists as a private person's.</summary>
    KnownFull = 1 << 13,

    /// <summary>Part of a private name the record lists.</summary>
    Known = 1 << 14,
    Slow = 1 << 15,

    /// <summary>The first word of a sentence.</summary>
    SentenceStart = 1 << 16,

    /// <summary>Marked as a private person's initials.</summary>
    Initials = 1 << 17,

    /// <summary>Only digits.</summary>
    AllDigits = 1 << 18,
}

/// <summary>A word or number of the text: where it is, its shape, its dictionary flags, and the record's names it matches.</summary>
internal struct Token
{
    public int Start;
    public int Length;

    /// <summary>FNV-1a (64 bits) of the folded word (0 for words with digits): compared before any character.</summary>
    public ulong Hash;
    public Tf Flags;
    public Lex Lex;
    public Gap Gap;
    public uint KnownMask;
    public uint KnownInitial;
    public uint OfficerSurname;
    public uint OfficerGiven;
    public uint OfficerInitial;

    public readonly int End => Start + Length;

    public readonly bool Is(Tf flag) => (Flags & flag) != 0;

    public readonly bool Has(Lex lex) => (Lex & lex) != 0;
}
