using System.Globalization;
using System.Text;

namespace OpenConduct.Azure.Search;

/// <summary>
/// Document keys. A key may hold only ASCII letters, digits, '-', '_' and '=' (at most 1,024 characters, not starting
/// with '_'), so each part is escaped: ASCII letters, digits and '-' stay, every other UTF-8 byte becomes '=' and two
/// upper-case hex digits. '_' never survives escaping, so <c>{build}_{id}</c> is unambiguous, and the pointer's key
/// (no '_') cannot collide with an officer's.
/// </summary>
internal static class SearchKeys
{
    public const int MaxLength = 1024;

    /// <summary>The key of the pointer document.</summary>
    public const string Pointer = "pointer";

    /// <summary>The key of an officer in a build.</summary>
    public static string Officer(string build, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(build);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var key = Escape(build) + "_" + Escape(id);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the document key of officer '{id}' in build '{build}' is {key.Length} characters, over Azure AI Search's {MaxLength}"), nameof(id));
        }

        return key;
    }

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b == '-')
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append('=').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
