using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OpenConduct.Api.Review;

/// <summary>
/// The review console's reviewers in Azure (docs/review.md, "In Azure"): Entra ID through the function app's built-in
/// authentication (App Service authentication, "Easy Auth", configured by infra/), which signs the reviewer in at
/// <c>/.auth/login/aad</c> and passes each request's principal to the app in the <c>X-MS-CLIENT-PRINCIPAL</c> header
/// (base64 JSON: <c>auth_typ</c>, <c>name_typ</c>, <c>role_typ</c>, <c>claims</c> of <c>typ</c> and <c>val</c>). A
/// reviewer is a principal signed in with Entra ID (<c>auth_typ</c> <c>aad</c>) holding the app role
/// <see cref="ReviewerRole"/>; the audit log names them by <c>preferred_username</c> (else <c>name</c>).
/// <para>
/// The header is trusted only when the platform's authentication is on (<see cref="EnabledSetting"/> is <c>True</c>):
/// only then does the platform strip a client's own <c>X-MS-*</c> headers. Otherwise every review request is refused
/// (fail closed), whatever it carries.
/// </para>
/// <para>
/// CSRF: the platform's session cookie may be sent with a request another site's page makes, so every change also
/// needs a token, with no server state shared between instances: the double-submit pattern. The session answer sets a
/// random 256-bit token in the cookie <see cref="CsrfCookie"/> (<c>__Host-</c>: Secure, path <c>/</c>, no domain, so
/// no other site or subdomain can set it; SameSite=Strict, so no other site's request carries it; HttpOnly) and returns
/// it; a change must send it back in <see cref="ReviewSessions.CsrfHeader"/>, compared with the cookie in constant time.
/// </para>
/// <para>Logs the reason for a refusal and the reviewer's name, never the header, a token or any other claim.</para>
/// </summary>
public sealed partial class AppServiceReviewerAuthentication(IConfiguration configuration, ILoggerFactory loggers) : IReviewerAuthentication
{
    /// <summary>The app setting App Service sets to <c>True</c> when its built-in authentication is on.</summary>
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The header in which the platform passes the signed-in principal.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The app role (its value in the app registration) that makes a signed-in user a reviewer.</summary>
    public const string ReviewerRole = "Reviewer";

    /// <summary>The identity provider's name in the principal (<c>auth_typ</c>): Microsoft Entra ID.</summary>
    public const string Provider = "aad";

    /// <summary>The CSRF token's cookie.</summary>
    public const string CsrfCookie = "__Host-oc_review_csrf";

    /// <summary>Where the platform signs a user in with Entra ID, and out.</summary>
    public const string SignInPath = "/.auth/login/aad";

    public const string SignOutPath = "/.auth/logout";

    /// <summary>The longest principal header read (a principal with many group claims is a few kilobytes).</summary>
    public const int MaxPrincipalLength = 16 * 1024;

    private const string RoleClaim = "roles";
    private const string ClaimsRoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    private readonly bool enabled = string.Equals(configuration?[EnabledSetting]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    private readonly ILogger log = (loggers ?? throw new ArgumentNullException(nameof(loggers))).CreateLogger(AdminKeyAttempts.Category);

    /// <summary>Whether the platform's authentication is on, so that the principal header can be trusted.</summary>
    public bool Enabled => enabled;

    /// <summary>A principal as the platform describes it: its provider and claims (type, value), or null when the header is not one.</summary>
    public sealed record Principal(string Provider, string? NameType, string? RoleType, IReadOnlyList<(string Type, string Value)> Claims)
    {
        /// <summary>The values of the claims of <paramref name="type"/>.</summary>
        public IEnumerable<string> Values(string? type) => type is null ? [] : Claims.Where(c => string.Equals(c.Type, type, StringComparison.Ordinal)).Select(c => c.Value);

        /// <summary>The app roles: the <c>roles</c> claims, and those of the principal's role type.</summary>
        public IReadOnlySet<string> Roles => Values(RoleClaim).Concat(Values(RoleType ?? ClaimsRoleType)).ToHashSet(StringComparer.Ordinal);

        /// <summary>The name the audit log records: <c>preferred_username</c>, else <c>name</c> (or the principal's name type), else the object id.</summary>
        public string? Name => new[] { Values("preferred_username"), Values("name"), Values(NameType), Values(ObjectIdClaim), Values("oid") }
            .SelectMany(v => v)
            .Select(v => v.Trim())
            .FirstOrDefault(v => v.Length is > 0 and <= 200 && !v.Any(char.IsControl));
    }

    /// <summary>
    /// Decodes the platform's principal header: base64 of a JSON object with a string <c>auth_typ</c> and an array
    /// <c>claims</c> of objects with string <c>typ</c> and <c>val</c>. Null for anything else (empty, too long, not
    /// base64, not such JSON): never an exception.
    /// </summary>
    public static Principal? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxPrincipalLength)
        {
            return null;
        }

        var bytes = new byte[header.Length];
        if (!Convert.TryFromBase64String(header.Trim(), bytes, out var length))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("auth_typ", out var provider) || provider.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<(string, string)>();
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var type) || type.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var value) || value.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                list.Add((type.GetString()!, value.GetString()!));
            }

            return new Principal(provider.GetString()!, OptionalString(root, "name_typ"), OptionalString(root, "role_typ"), list);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Reviewer? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!enabled || Parse(context.Request.Headers[PrincipalHeader].ToString()) is not { } principal
            || !string.Equals(principal.Provider, Provider, StringComparison.OrdinalIgnoreCase)
            || !principal.Roles.Contains(ReviewerRole) || principal.Name is not { } name)
        {
            return null;
        }

        // The CSRF token: the request's cookie when it has a well-formed one, else a new one set on the response.
        var token = context.Request.Cookies[CsrfCookie];
        if (token is not { Length: 43 } || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            token = Secrets.NewToken();
            context.Response.Cookies.Append(CsrfCookie, token, CsrfCookieOptions());
        }

        return new Reviewer(name, token, null);
    }

    public bool CsrfValid(HttpContext context, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reviewer);
        var given = context.Request.Headers[ReviewSessions.CsrfHeader].ToString();
        var cookie = context.Request.Cookies[CsrfCookie] ?? "";
        return given.Length > 0 && cookie.Length > 0
            && Secrets.FixedTimeEquals(given, cookie);
    }

    public ReviewerRefusal Refuse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var console = ConsolePath(context);
        var signIn = $"{SignInPath}?post_login_redirect_uri={Uri.EscapeDataString(console)}";
        var signOut = $"{SignOutPath}?post_logout_redirect_uri={Uri.EscapeDataString(console)}";
        if (!enabled)
        {
            Log.Refused(log, "the platform's authentication is off");
            return new ReviewerRefusal(StatusCodes.Status403Forbidden, "Review console turned off",
                $"The function app's built-in authentication (Entra ID) is off ({EnabledSetting} is not True), so no reviewer can be identified and the review console refuses every request. Deploy with the reviewer app registration's client id (docs/deploy.md, \"The review console\").");
        }

        var header = context.Request.Headers[PrincipalHeader].ToString();
        if (header.Length == 0)
        {
            return new ReviewerRefusal(StatusCodes.Status401Unauthorized, "Sign in", "The review console needs a reviewer: sign in with your organisation account.", SignIn: signIn);
        }

        if (Parse(header) is not { } principal)
        {
            Log.Refused(log, "the platform's principal header could not be read");
            return new ReviewerRefusal(StatusCodes.Status401Unauthorized, "Sign in", "Your sign-in could not be read: sign in again with your organisation account.", SignIn: signIn);
        }

        if (!string.Equals(principal.Provider, Provider, StringComparison.OrdinalIgnoreCase))
        {
            Log.Refused(log, "signed in with another identity provider than Entra ID");
            return new ReviewerRefusal(StatusCodes.Status403Forbidden, "Not a reviewer", "Reviewers sign in with their organisation account (Microsoft Entra ID).", SignOut: signOut);
        }

        if (principal.Name is not { } name)
        {
            Log.Refused(log, "the principal has no name claim");
            return new ReviewerRefusal(StatusCodes.Status403Forbidden, "Not a reviewer", "Your account has no name the audit log could record (preferred_username or name).", SignOut: signOut);
        }

        Log.NotReviewer(log, name);
        return new ReviewerRefusal(StatusCodes.Status403Forbidden, "Not a reviewer",
            $"{name} is signed in but does not have the {ReviewerRole} app role: ask the records office to assign it (docs/deploy.md, \"The review console\"), or sign out and sign in with another account.", SignOut: signOut);
    }

    /// <summary>Expires the CSRF cookie; the console then goes to the platform's sign-out, which ends the platform's session.</summary>
    public string? EndSession(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CsrfCookie, CsrfCookieOptions());
        return $"{SignOutPath}?post_logout_redirect_uri={Uri.EscapeDataString(ConsolePath(context))}";
    }

    /// <summary>The console's own path (<c>/api/review/</c> in the Functions app): the request's path up to its review segment.</summary>
    private static string ConsolePath(HttpContext context)
    {
        var path = (context.Request.PathBase + context.Request.Path).Value ?? "";
        var at = path.IndexOf(ReviewApi.Prefix + "/", StringComparison.Ordinal);
        return at < 0 ? ReviewApi.Prefix + "/" : path[..(at + ReviewApi.Prefix.Length + 1)];
    }

    private static CookieOptions CsrfCookieOptions() => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 403, EventName = "ReviewerRefused", Level = LogLevel.Warning, Message = "review console: request refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);

        [LoggerMessage(EventId = 404, EventName = "ReviewerRoleMissing", Level = LogLevel.Warning, Message = "review console: {Reviewer} is signed in without the Reviewer app role: refused")]
        public static partial void NotReviewer(ILogger logger, string reviewer);
    }
}
