using System.Globalization;
using System.Text;

namespace OpenConduct.Core.Import.Sources;

/// <summary>One step of a <see cref="JsonPath"/>: a member name, an array index, a wildcard, or the key of a wildcard's member.</summary>
internal readonly record struct JsonStep(JsonStepKind Kind, string? Name = null, int Index = 0)
{
    public override string ToString() => Kind switch
    {
        JsonStepKind.Name when JsonPath.IsPlain(Name!) => "." + Name,
        JsonStepKind.Name => "['" + Name!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']",
        JsonStepKind.Index => "[" + Index.ToString(CultureInfo.InvariantCulture) + "]",
        JsonStepKind.Wildcard => "[*]",
        _ => "~",
    };
}

internal enum JsonStepKind
{
    /// <summary><c>.name</c> or <c>['name']</c>: a member of an object.</summary>
    Name,

    /// <summary><c>[2]</c>: an element of an array.</summary>
    Index,

    /// <summary><c>.*</c> or <c>[*]</c>: every member of an object, or every element of an array.</summary>
    Wildcard,

    /// <summary><c>~</c> right after a wildcard: the member's name (or the element's index) instead of its value.</summary>
    Key,
}

/// <summary>
/// The small JSONPath dialect of profiles: <c>$</c>, <c>.name</c>, <c>['any name']</c>, <c>[2]</c>, <c>.*</c> and
/// <c>[*]</c> (every member of an object or element of an array), and <c>~</c> after a wildcard for the member's
/// name. A path without <c>$</c> is relative (to the records of a file).
/// </summary>
internal sealed class JsonPath
{
    private JsonPath(string text, bool absolute, IReadOnlyList<JsonStep> steps)
    {
        Text = text;
        Absolute = absolute;
        Steps = steps;
    }

    public string Text { get; }

    public bool Absolute { get; }

    public IReadOnlyList<JsonStep> Steps { get; }

    public int Wildcards => Steps.Count(s => s.Kind == JsonStepKind.Wildcard);

    public override string ToString() => Text;

    /// <summary>Whether a member name can be written <c>.name</c>.</summary>
    public static bool IsPlain(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>Writes a concrete location, e.g. <c>$['2015OPA-0383'].officers['5033'].allegations[0]</c>.</summary>
    public static string Show(IEnumerable<JsonStep> steps)
    {
        var text = new StringBuilder("$");
        foreach (var step in steps)
        {
            text.Append(step.ToString());
        }

        return text.ToString();
    }

    /// <summary>Parses a path; null with the reason in <paramref name="error"/> when it is not one.</summary>
    public static JsonPath? Parse(string text, out string? error)
    {
        error = null;
        var steps = new List<JsonStep>();
        var s = text.Trim();
        var i = 0;
        var absolute = s.StartsWith('$');
        if (absolute)
        {
            i = 1;
        }
        else if (s.Length > 0 && s[0] is not ('.' or '['))
        {
            s = "." + s; // "officers.*.badge" is ".officers.*.badge" relative to the records
        }

        while (i < s.Length)
        {
            var c = s[i];
            if (c == '~')
            {
                if (steps.Count == 0 || steps[^1].Kind != JsonStepKind.Wildcard || i != s.Length - 1)
                {
                    error = $"'~' (a member's name) must come last, right after a wildcard (.* or [*]), in '{text}'";
                    return null;
                }

                steps.Add(new JsonStep(JsonStepKind.Key));
                i++;
            }
            else if (c == '.')
            {
                i++;
                if (i < s.Length && s[i] == '*')
                {
                    steps.Add(new JsonStep(JsonStepKind.Wildcard));
                    i++;
                    continue;
                }

                var start = i;
                while (i < s.Length && s[i] is not ('.' or '[' or '~'))
                {
                    i++;
                }

                if (i == start)
                {
                    error = $"an empty member name at character {start + (absolute ? 0 : -1)} of '{text}'";
                    return null;
                }

                steps.Add(new JsonStep(JsonStepKind.Name, s[start..i]));
            }
            else if (c == '[')
            {
                var close = Bracket(s, i, out var step, out var reason);
                if (close < 0)
                {
                    error = $"{reason} in '{text}'";
                    return null;
                }

                steps.Add(step);
                i = close + 1;
            }
            else
            {
                error = $"unexpected '{c}' at character {i} of '{text}' (a path is $ followed by .name, ['name'], [2], .* or [*], and ~ after a wildcard)";
                return null;
            }
        }

        return new JsonPath(text, absolute, steps);
    }

    /// <summary>Reads <c>[*]</c>, <c>[3]</c>, <c>['name']</c> or <c>["name"]</c> at <paramref name="open"/>; the index of ']' or -1.</summary>
    private static int Bracket(string s, int open, out JsonStep step, out string? reason)
    {
        step = default;
        reason = null;
        var i = open + 1;
        if (i < s.Length && s[i] == '*' && i + 1 < s.Length && s[i + 1] == ']')
        {
            step = new JsonStep(JsonStepKind.Wildcard);
            return i + 1;
        }

        if (i < s.Length && s[i] is '\'' or '"')
        {
            var quote = s[i];
            var name = new StringBuilder();
            for (i++; i < s.Length && s[i] != quote; i++)
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    i++;
                }

                name.Append(s[i]);
            }

            if (i + 1 >= s.Length || s[i + 1] != ']')
            {
                reason = "an unclosed ['name']";
                return -1;
            }

            step = new JsonStep(JsonStepKind.Name, name.ToString());
            return i + 1;
        }

        var close = s.IndexOf(']', i);
        if (close > i && int.TryParse(s.AsSpan(i, close - i), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            step = new JsonStep(JsonStepKind.Index, Index: index);
            return close;
        }

        reason = "a bracket that is not [*], [index] or ['name']";
        return -1;
    }

    /// <summary>This relative path appended to <paramref name="records"/>.</summary>
    public JsonPath Under(JsonPath records) =>
        Absolute ? this : new JsonPath(records.Text + (Text.StartsWith('.') || Text.StartsWith('[') ? Text : "." + Text), true, [.. records.Steps, .. Steps]);
}
