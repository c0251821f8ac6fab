using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>E-mail addresses, found from each '@' outwards (cheaper than a pattern that starts at every letter).</summary>
internal sealed class EmailRecognizer : IFreeTextRecognizer
{
    public string Name => "email";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Analyze(FreeTextDocument doc)
    {
        var text = doc.Text;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        while (at >= 0)
        {
            var start = at;
            while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '_' or '%' or '+' or '-'))
            {
                start--;
            }

            while (start < at && !char.IsAsciiLetterOrDigit(text[start]))
            {
                start++;
            }

            var end = at + 1;
            var lastDot = -1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
            {
                if (text[end] == '.')
                {
                    lastDot = end;
                }

                end++;
            }

            while (end > at + 1 && text[end - 1] is '.' or '-')
            {
                end--;
            }

            if (lastDot >= end - 1)
            {
                lastDot = text.LastIndexOf('.', end - 1, end - at - 1);
            }

            var tld = lastDot > at + 1 ? text.AsSpan(lastDot + 1, end - lastDot - 1) : default;
            if (start < at && at + 1 < end && char.IsAsciiLetterOrDigit(text[at + 1]) && tld.Length is >= 2 and <= 24
                && !tld.ContainsAnyExcept(Letters) && text[lastDot - 1] != '.')
            {
                doc.Propose(start, end, PiiKind.Email, 1f);
            }

            at = text.IndexOf('@', Math.Max(end, at + 1));
        }
    }

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
