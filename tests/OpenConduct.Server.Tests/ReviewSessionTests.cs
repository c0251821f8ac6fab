using Microsoft.AspNetCore.Http;
using OpenConduct.Api.Review;

namespace OpenConduct.Server.Tests;

/// <summary>The standalone server's review sessions: idle and absolute expiry, sign-out, the CSRF token, the cookie's flags.</summary>
public sealed class ReviewSessionTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (DefaultHttpContext Request, string Cookie) SignIn(ReviewSessions sessions, bool https = false)
    {
        var signIn = new DefaultHttpContext();
        signIn.Request.IsHttps = https;
        sessions.SignIn(signIn, "Records Officer");
        var header = signIn.Response.Headers.SetCookie.ToString();
        var value = header.Split(';')[0];
        var request = new DefaultHttpContext();
        request.Request.Headers.Cookie = value;
        return (request, header);
    }

    [Fact]
    public void A_session_ends_after_thirty_idle_minutes_or_eight_hours_in_all()
    {
        var clock = new Clock();
        var sessions = new ReviewSessions(clock);
        var (request, _) = SignIn(sessions);

        // In use every 29 minutes it lasts, until 8 hours after sign-in.
        for (var i = 0; i < 16; i++)
        {
            clock.Now += TimeSpan.FromMinutes(29);
            Assert.NotNull(sessions.Authenticate(request));
        }

        clock.Now += TimeSpan.FromMinutes(29); // 8 h 43 min after sign-in
        Assert.Null(sessions.Authenticate(request));

        var (idle, _) = SignIn(sessions);
        clock.Now += TimeSpan.FromMinutes(31);
        Assert.Null(sessions.Authenticate(idle));
    }

    [Fact]
    public void Sign_out_ends_the_session_and_changes_need_the_sessions_own_token()
    {
        var sessions = new ReviewSessions(TimeProvider.System);
        var (request, _) = SignIn(sessions);
        var (other, _) = SignIn(sessions);
        var reviewer = sessions.Authenticate(request)!;
        var otherReviewer = sessions.Authenticate(other)!;

        Assert.False(sessions.CsrfValid(request, reviewer));
        request.Request.Headers[ReviewSessions.CsrfHeader] = otherReviewer.CsrfToken;
        Assert.False(sessions.CsrfValid(request, reviewer));
        request.Request.Headers[ReviewSessions.CsrfHeader] = reviewer.CsrfToken;
        Assert.True(sessions.CsrfValid(request, reviewer));

        sessions.SignOut(request);
        Assert.Null(sessions.Authenticate(request));
        Assert.NotNull(sessions.Authenticate(other));
        Assert.Contains("expires=", request.Response.Headers.SetCookie.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_cookie_is_http_only_strict_and_secure_over_tls()
    {
        var sessions = new ReviewSessions(TimeProvider.System);
        var (_, plain) = SignIn(sessions);
        var (_, tls) = SignIn(sessions, https: true);

        foreach (var header in new[] { plain, tls })
        {
            Assert.Contains("httponly", header, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", header, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/review", header, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("secure", plain, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", tls, StringComparison.OrdinalIgnoreCase);
        Assert.Null(sessions.Authenticate(new DefaultHttpContext()));
    }
}
