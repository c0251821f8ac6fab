namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>What the lexicon knows about a word (folded: lower case, accents removed). A word can be several things.</summary>
[Flags]
internal enum Lex : uint
{
    None = 0,

    /// <summary>An English word (SCOWL, lower case): never a name on its own.</summary>
    Word = 1,

    /// <summary>A given name (SSA).</summary>
    First = 1 << 1,

    /// <summary>A surname among the 30,000 most frequent (Census 1990).</summary>
    Last = 1 << 2,

    /// <summary>A given name among the 3,000 most frequent.</summary>
    FrequentFirst = 1 << 3,

    /// <summary>A surname among the 5,000 most frequent.</summary>
    FrequentLast = 1 << 4,

    /// <summary>Mr, Ms, Mrs, Miss, Dr.</summary>
    Title = 1 << 5,

    /// <summary>A police rank: Officer, P/O, Sgt., Lieutenant, Detective...</summary>
    Rank = 1 << 6,

    /// <summary>A role or relationship that introduces a person: complainant, witness, nephew, neighbor...</summary>
    Cue = 1 << 7,

    /// <summary>A reporting verb: stated, said, told...</summary>
    Verb = 1 << 8,

    /// <summary>Verbs that follow organisations as readily as people: was, arrived, called.</summary>
    Aux = 1 << 9,

    /// <summary>A USPS street suffix or its abbreviation (Pub. 28 C1).</summary>
    Street = 1 << 10,

    /// <summary>N, S, E, W, NE, North, South...</summary>
    Directional = 1 << 11,

    /// <summary>van, de, del, St. inside surnames.</summary>
    Particle = 1 << 12,

    /// <summary>Jr, Sr, II, III.</summary>
    Suffix = 1 << 13,

    /// <summary>Nouns of an appositive that says the words before were a person: ", a neighbor".</summary>
    Role = 1 << 14,

    /// <summary>a, an, the, his, her...</summary>
    Determiner = 1 << 15,

    /// <summary>"as", "named": between a cue and a name.</summary>
    Connector = 1 << 16,

    /// <summary>An acronym of an agency, unit or everyday abbreviation (PPD, IAD, DHS, ID, TV): not initials.</summary>
    Acronym = 1 << 17,

    /// <summary>A capitalised word that is no name: months, days, nationalities, languages, states, cities.</summary>
    Proper = 1 << 18,

    /// <summary>A word that makes the capitalised words before it a place or an organisation: District, Hospital, Police.</summary>
    PlaceHead = 1 << 19,

    /// <summary>A word before a name that says one follows: "name", "named", "registered", "taken".</summary>
    NameCue = 1 << 20,

    /// <summary>Function words and police vocabulary: never part of a name, even when a name list has them ("See").</summary>
    Function = 1 << 21,
}
