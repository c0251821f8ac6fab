using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenConduct.Api.Review;

namespace OpenConduct.Functions.Tests;

/// <summary>Principals as the platform's built-in authentication passes them (<c>X-MS-CLIENT-PRINCIPAL</c>, base64 JSON).</summary>
internal static class Principals
{
    public const string ReviewerName = "rita.reviewer@city.example";

    public const string ObjectId = "6f1d2c3b-0000-4000-8000-00000000abcd";

    /// <summary>A principal signed in with <paramref name="provider"/>, named <see cref="ReviewerName"/>, with these app roles (claim type <c>roles</c>).</summary>
    public static string Header(string provider = "aad", params string[] roles) => Encode(new
    {
        auth_typ = provider,
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = new[]
        {
            new { typ = "name", val = "Rita Reviewer" },
            new { typ = "preferred_username", val = ReviewerName },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = ObjectId },
        }.Concat(roles.Select(r => new { typ = "roles", val = r })).ToArray(),
    });

    public static string Reviewer => Header("aad", "Reviewer");

    public static string Encode(object principal) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(principal));
}

/// <summary>
/// The platform's principal as <see cref="AppServiceReviewerAuthentication"/> reads it: anything malformed is refused
/// (a 401 to sign in again), never an exception; the role, the provider and the name; the double-submit CSRF token;
/// and what it logs (the reason and the name, never the header or another claim).
/// </summary>
public sealed class AppServiceReviewerAuthenticationTests
{
    private sealed class Captured : ILoggerProvider, ILogger
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception) + " " + string.Join(" ", (state as IEnumerable<KeyValuePair<string, object?>>)?.Select(p => $"{p.Key}={p.Value}") ?? []));

        public void Dispose()
        {
        }
    }

    private readonly Captured log = new();

    private AppServiceReviewerAuthentication Auth(string? enabled = "True")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppServiceReviewerAuthentication.EnabledSetting] = enabled }).Build();
        return new AppServiceReviewerAuthentication(configuration, LoggerFactory.Create(b => b.AddProvider(log)));
    }

    private static DefaultHttpContext Request(string? principal, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/review/api/narratives";
        if (principal is not null)
        {
            context.Request.Headers[AppServiceReviewerAuthentication.PrincipalHeader] = principal;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string> Malformed => new()
    {
        { "not base64", "%%%not-base64%%%" },
        { "base64 of text", Base64("hello, I am the reviewer") },
        { "base64 of a JSON array", Base64("""[{"typ":"roles","val":"Reviewer"}]""") },
        { "no auth_typ", Base64("""{"claims":[{"typ":"roles","val":"Reviewer"}]}""") },
        { "no claims", Base64("""{"auth_typ":"aad"}""") },
        { "claims not an array", Base64("""{"auth_typ":"aad","claims":{"typ":"roles","val":"Reviewer"}}""") },
        { "a claim's value a number", Base64("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Reviewer"},{"typ":"name","val":7}]}""") },
        { "a claim not an object", Base64("""{"auth_typ":"aad","claims":["Reviewer"]}""") },
        { "truncated JSON", Base64("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Revi""") },
        { "nested too deep", Base64("""{"auth_typ":"aad","claims":[],"x":[[[[[[[[[[[[]]]]]]]]]]]]}""") },
        { "too long", Base64("""{"auth_typ":"aad","claims":[{"typ":"roles","val":"Reviewer"},{"typ":"name","val":"x"}],"pad":""" + "\"" + new string('a', 20_000) + "\"}") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_principal_is_refused_as_a_401_to_sign_in_again_never_an_exception(string why, string header)
    {
        Assert.Null(AppServiceReviewerAuthentication.Parse(header));
        var auth = Auth();
        var context = Request(header);
        Assert.Null(auth.Authenticate(context));
        var refusal = auth.Refuse(context);
        Assert.True(refusal.Status == 401, why);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Freview%2F", refusal.SignIn);
        Assert.DoesNotContain(log.Lines, l => l.Contains(header[..Math.Min(20, header.Length)], StringComparison.Ordinal));
    }

    [Fact]
    public void The_Reviewer_app_role_is_required_exactly_by_the_roles_claim_or_the_principals_role_type()
    {
        var auth = Auth();
        Assert.Equal(Principals.ReviewerName, auth.Authenticate(Request(Principals.Reviewer))?.Name);
        Assert.Null(auth.Authenticate(Request(Principals.Header("aad", "reviewer"))));
        Assert.Null(auth.Authenticate(Request(Principals.Header("aad", "Readers", "Reviewers"))));
        Assert.Null(auth.Authenticate(Request(Principals.Header("aad"))));

        // The principal's role claim type (role_typ) counts as well as "roles".
        var byRoleType = Principals.Encode(new
        {
            auth_typ = "aad",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            claims = new[] { new { typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val = "Reviewer" }, new { typ = "name", val = "Rita Reviewer" } },
        });
        Assert.Equal("Rita Reviewer", auth.Authenticate(Request(byRoleType))?.Name);

        // Another provider's principal, even with a "roles" claim, is not a reviewer.
        Assert.Null(auth.Authenticate(Request(Principals.Header("twitter", "Reviewer"))));
        Assert.Equal(403, auth.Refuse(Request(Principals.Header("twitter", "Reviewer"))).Status);
    }

    [Fact]
    public void Without_a_principal_it_is_a_401_without_the_role_a_403_naming_only_the_reviewer_in_the_log()
    {
        var auth = Auth();
        Assert.Equal(401, auth.Refuse(Request(null)).Status);
        var refusal = auth.Refuse(Request(Principals.Header("aad", "Reader")));
        Assert.Equal(403, refusal.Status);
        Assert.Contains(Principals.ReviewerName, refusal.Detail, StringComparison.Ordinal);
        Assert.NotNull(refusal.SignOut);
        Assert.Contains(log.Lines, l => l.Contains(Principals.ReviewerName, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains(Principals.ObjectId, StringComparison.Ordinal) || l.Contains("Rita Reviewer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("False")]
    [InlineData("1")]
    public void With_the_platforms_authentication_off_a_forged_principal_counts_for_nothing(string? enabled)
    {
        var auth = Auth(enabled);
        var context = Request(Principals.Reviewer);
        Assert.False(auth.Enabled);
        Assert.Null(auth.Authenticate(context));
        var refusal = auth.Refuse(context);
        Assert.Equal(403, refusal.Status);
        Assert.Contains(AppServiceReviewerAuthentication.EnabledSetting, refusal.Detail, StringComparison.Ordinal);
        Assert.Null(refusal.SignIn);
        Assert.False(context.Response.Headers.ContainsKey("Set-Cookie"));
    }

    [Fact]
    public void The_name_is_preferred_username_then_name_and_a_principal_without_one_is_refused()
    {
        var auth = Auth();
        var nameOnly = Principals.Encode(new { auth_typ = "aad", claims = new[] { new { typ = "roles", val = "Reviewer" }, new { typ = "name", val = "Rita Reviewer" } } });
        Assert.Equal("Rita Reviewer", auth.Authenticate(Request(nameOnly))?.Name);
        var nameless = Principals.Encode(new { auth_typ = "aad", claims = new[] { new { typ = "roles", val = "Reviewer" }, new { typ = "name", val = "bad\u0007name" } } });
        Assert.Null(auth.Authenticate(Request(nameless)));
        Assert.Equal(403, auth.Refuse(Request(nameless)).Status);
    }

    [Fact]
    public void The_CSRF_token_is_the_cookies_sent_back_in_the_header_compared_whole()
    {
        var auth = Auth();
        var first = Request(Principals.Reviewer);
        var reviewer = auth.Authenticate(first)!;
        var token = reviewer.CsrfToken!;
        Assert.Equal(43, token.Length);
        Assert.StartsWith($"{AppServiceReviewerAuthentication.CsrfCookie}={token};", first.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);

        // Another sign-in gets another token.
        Assert.NotEqual(token, auth.Authenticate(Request(Principals.Reviewer))!.CsrfToken);

        var cookie = ("Cookie", $"{AppServiceReviewerAuthentication.CsrfCookie}={token}");
        Assert.True(auth.CsrfValid(Request(Principals.Reviewer, cookie, (ReviewSessions.CsrfHeader, token)), reviewer));
        Assert.False(auth.CsrfValid(Request(Principals.Reviewer, cookie), reviewer));
        Assert.False(auth.CsrfValid(Request(Principals.Reviewer, (ReviewSessions.CsrfHeader, token)), reviewer));
        Assert.False(auth.CsrfValid(Request(Principals.Reviewer, cookie, (ReviewSessions.CsrfHeader, token[..^1])), reviewer));
        Assert.False(auth.CsrfValid(Request(Principals.Reviewer, cookie, (ReviewSessions.CsrfHeader, token + "x")), reviewer));

        // A malformed cookie is replaced, not trusted as the token.
        var odd = Request(Principals.Reviewer, ("Cookie", $"{AppServiceReviewerAuthentication.CsrfCookie}=short"));
        Assert.NotEqual("short", auth.Authenticate(odd)!.CsrfToken);
    }
}
