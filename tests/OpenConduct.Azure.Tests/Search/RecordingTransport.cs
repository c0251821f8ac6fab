using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>A request as it left the SDK: method, URI, headers, body (UTF-8 text).</summary>
public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    /// <summary>The path without the query, unescaped: <c>/indexes('officers')/docs/search.index</c>.</summary>
    public string Path => Uri.UnescapeDataString(Uri.AbsolutePath);

    /// <summary>The size of the body in bytes as sent.</summary>
    public long BodyBytes => Body is null ? 0 : Encoding.UTF8.GetByteCount(Body);

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>A canned response: status and JSON body.</summary>
public sealed record CannedResponse(int Status, string? Body = null);

/// <summary>
/// An HTTP transport for the Azure SDK that records every request and answers from a handler (canned responses in
/// the service's documented format), injected through <c>SearchClientOptions.Transport</c>: no network.
/// </summary>
public sealed class RecordingTransport(Func<RecordedRequest, CannedResponse> respond) : HttpPipelineTransport
{
    private readonly List<RecordedRequest> requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public void Clear()
    {
        lock (requests)
        {
            requests.Clear();
        }
    }

    public override Request CreateRequest() => new RecordingRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = message.Request;
        string? body = null;
        if (request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            await content.WriteToAsync(buffer, message.CancellationToken);
            body = Encoding.UTF8.GetString(buffer.ToArray());
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Name] = header.Value;
        }

        var recorded = new RecordedRequest(request.Method.Method, request.Uri.ToUri(), headers, body);
        lock (requests)
        {
            requests.Add(recorded);
        }

        var canned = respond(recorded);
        message.Response = new CannedHttpResponse(canned.Status, canned.Body, request.ClientRequestId);
    }

    private sealed class RecordingRequest : Request
    {
        private readonly Dictionary<string, List<string>> headers = new(StringComparer.OrdinalIgnoreCase);

        public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();

        public override void Dispose()
        {
        }

        protected override void AddHeader(string name, string value)
        {
            if (!headers.TryGetValue(name, out var values))
            {
                headers[name] = values = [];
            }

            values.Add(value);
        }

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = headers.TryGetValue(name, out var list) ? list : null;
            return values is not null;
        }

        protected override bool ContainsHeader(string name) => headers.ContainsKey(name);

        protected override bool RemoveHeader(string name) => headers.Remove(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Key, string.Join(",", h.Value)));
    }

    private sealed class CannedHttpResponse(int status, string? body, string clientRequestId) : Response
    {
        private readonly Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json; odata.metadata=none; charset=utf-8",
        };

        public override int Status => status;

        public override string ReasonPhrase => status.ToString(CultureInfo.InvariantCulture);

        public override Stream? ContentStream { get; set; } = body is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(body));

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }

        protected override bool ContainsHeader(string name) => headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers.Select(h => new HttpHeader(h.Key, h.Value));
    }
}

/// <summary>A token credential that hands out a fixed bearer token and counts the calls (Entra ID without Entra ID).</summary>
public sealed class FakeTokenCredential : TokenCredential
{
    public const string Token = "fake-entra-token";

    public int Calls { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Calls++;
        Scopes = requestContext.Scopes;
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
