using System.Security.Cryptography;
using System.Text;

namespace OpenConduct.Api;

/// <summary>Comparisons of secrets (keys, CSRF tokens) that take the same time whatever the strings hold.</summary>
public static class Secrets
{
    /// <summary>
    /// Whether the two strings are equal, in constant time: their SHA-256 hashes are compared, so neither the length nor
    /// the first differing character shows in the time taken.
    /// </summary>
    public static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given ?? string.Empty)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected ?? string.Empty)));

    /// <summary>A new random 256-bit token, base64url without padding (a session id, a CSRF token).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
