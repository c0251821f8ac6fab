using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OpenConduct.Api.Review;

/// <summary>A signed-in reviewer: the name the audit log records, and the request's CSRF token (null where the host needs none).</summary>
public sealed record Reviewer(string Name, string? CsrfToken, DateTimeOffset? ExpiresAt);

/// <summary>
/// Who the request's reviewer is, in each host (docs/review.md): the standalone server's sessions (the admin key
/// exchanged once for an HttpOnly cookie, <see cref="ReviewSessions"/>), Entra ID in Azure (the platform's principal
/// with the Reviewer app role). The review routes are never anonymous.
/// </summary>
public interface IReviewerAuthentication
{
    /// <summary>The reviewer of this request, or null (no session, an expired one, no Reviewer role).</summary>
    Reviewer? Authenticate(HttpContext context);

    /// <summary>Whether a request that changes something carries the reviewer's CSRF token.</summary>
    bool CsrfValid(HttpContext context, Reviewer reviewer);

    /// <summary>
    /// Why <see cref="Authenticate"/> found no reviewer, as the answer to give (a problem; where to sign in or out when
    /// the host signs reviewers in elsewhere). The default: 401, sign in with the console's form.
    /// </summary>
    ReviewerRefusal Refuse(HttpContext context) => new(StatusCodes.Status401Unauthorized, "Sign in",
        "The review console needs a reviewer: sign in first (docs/review.md). A session ends after 30 minutes without use, 8 hours in all, or at sign-out.");

    /// <summary>
    /// Ends the request's sign-in as far as this host can (at sign-out, after the audit entry); returns where the console
    /// goes next to end it at the identity provider, or null when nothing is left to do.
    /// </summary>
    string? EndSession(HttpContext context);
}

/// <summary>
/// A review request refused: the problem's status, title and detail, and for a host whose identity provider signs
/// reviewers in, where the console sends them to sign in (<see cref="SignIn"/>) or out to change accounts (<see cref="SignOut"/>).
/// </summary>
public sealed record ReviewerRefusal(int Status, string Title, string Detail, string? SignIn = null, string? SignOut = null);

/// <summary>
/// The standalone server's review sessions: the admin key (checked in constant time, under the admin key's own attempt
/// budget) is exchanged once for a session, a random 256-bit id in an HttpOnly, SameSite=Strict cookie (Secure over
/// TLS) scoped to <c>/review</c>; the server keeps only the id's SHA-256. A session ends after
/// <see cref="IdleTimeout"/> without a request, <see cref="Lifetime"/> in all, or at sign-out. Every change also needs
/// the session's CSRF token in the <see cref="CsrfHeader"/> header (a synchronizer token: a cross-site form cannot read
/// it). Sessions live in memory: a restart signs every reviewer out.
/// </summary>
public sealed class ReviewSessions(TimeProvider time) : IReviewerAuthentication
{
    public const string CookieName = "oc_review";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string CookiePath = "/review";

    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);

    private sealed class Session(string name, string csrf, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public string Csrf { get; } = csrf;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset LastSeen { get; set; } = created;
    }

    /// <summary>Starts a session for <paramref name="name"/> and sets its cookie on the response.</summary>
    public Reviewer SignIn(HttpContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = Secrets.NewToken();
        var now = time.GetUtcNow();
        var session = new Session(name, Secrets.NewToken(), now);
        sessions[Hash(id)] = session;
        Prune(now);
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = CookiePath,
            MaxAge = Lifetime,
            IsEssential = true,
        });
        return new Reviewer(name, session.Csrf, now + Lifetime);
    }

    /// <summary>Ends the request's session (if any) and expires its cookie: nothing is left to do elsewhere.</summary>
    public string? EndSession(HttpContext context)
    {
        SignOut(context);
        return null;
    }

    /// <summary>Ends the request's session (if any) and expires its cookie.</summary>
    public void SignOut(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies[CookieName] is { Length: > 0 } id)
        {
            sessions.TryRemove(Hash(id), out _);
        }

        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = CookiePath, HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Strict });
    }

    public Reviewer? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies[CookieName] is not { Length: > 0 and < 100 } id || !sessions.TryGetValue(Hash(id), out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - session.LastSeen > IdleTimeout || now - session.Created > Lifetime)
        {
            sessions.TryRemove(Hash(id), out _);
            return null;
        }

        session.LastSeen = now;
        return new Reviewer(session.Name, session.Csrf, session.Created + Lifetime);
    }

    public bool CsrfValid(HttpContext context, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reviewer);
        var given = context.Request.Headers[CsrfHeader].ToString();
        return reviewer.CsrfToken is { } expected && given.Length > 0
            && Secrets.FixedTimeEquals(given, expected);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, session) in sessions)
        {
            if (now - session.LastSeen > IdleTimeout || now - session.Created > Lifetime)
            {
                sessions.TryRemove(key, out _);
            }
        }
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
