using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenConduct.Core.Sources;

/// <summary>
/// Why one attempt of a request failed. Thrown by <see cref="SourceHttp"/> and by the readers it calls: a transient
/// failure is retried, any other ends the pull.
/// </summary>
internal sealed class FetchFailure(string reason, bool transient, Exception? inner = null, TimeSpan? retryAfter = null)
    : Exception(reason, inner)
{
    public bool Transient { get; } = transient;

    /// <summary>How long the server asked us to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The HTTP requests of one pull, shared by the connectors: GET with a per-request timeout, retries of transient
/// failures with exponential backoff, a size cap over every byte received, and the request count.
/// </summary>
/// <remarks>
/// Transient: a 5xx, 408 or 429 status, a timeout, an <see cref="HttpRequestException"/> (connection refused or
/// reset, DNS), an <see cref="IOException"/> while reading the body (e.g. <see cref="HttpIOException"/> when the
/// connection closes early), a body shorter than its <c>Content-Length</c>, or a reader's transient
/// <see cref="FetchFailure"/>. Everything else (other 4xx, the size cap) fails at once. Attempt n waits
/// <c>RetryDelay * 2^(n-1)</c> before the next (or the server's <c>Retry-After</c>), at most <see cref="MaxWait"/>.
/// </remarks>
internal sealed class SourceHttp(HttpClient http, Func<TimeSpan, CancellationToken, Task> delay, SourceDefinition source, IProgress<string>? progress)
{
    /// <summary>The longest wait between two attempts, whatever the backoff or <c>Retry-After</c> say.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    private const long ProgressEvery = 16L << 20;
    private const int ErrorBodyLimit = 16 << 10;

    /// <summary>The default delay between attempts: a real wait.</summary>
    public static Func<TimeSpan, CancellationToken, Task> RealDelay { get; } = (wait, cancellationToken) => Task.Delay(wait, cancellationToken);

    /// <summary>How many requests were sent (every page and every retry).</summary>
    public int Requests { get; private set; }

    /// <summary>The body bytes received by the successful reads so far (what the size cap counts).</summary>
    public long Bytes { get; private set; }

    /// <summary>
    /// Sends GET <paramref name="url"/> until it succeeds or fails for good. <paramref name="read"/> gets the response
    /// when its status is 2xx or 304 and runs within the request's timeout; it may throw <see cref="FetchFailure"/>.
    /// </summary>
    public async Task<T> GetAsync<T>(Uri url, Action<HttpRequestHeaders>? headers, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Requests++;
            progress?.Report(attempt == 1
                ? $"{source.Id}: GET {url.AbsoluteUri}"
                : $"{source.Id}: GET {url.AbsoluteUri} (attempt {attempt} of {source.Retries + 1})");
            FetchFailure failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(source.Timeout);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    headers?.Invoke(request.Headers);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
                    {
                        return await read(response, timeout.Token).ConfigureAwait(false);
                    }

                    failure = await StatusFailureAsync(response, timeout.Token).ConfigureAwait(false);
                }
                catch (FetchFailure ex)
                {
                    failure = ex;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new FetchFailure(
                        string.Create(CultureInfo.InvariantCulture, $"timed out (timeoutSeconds: {source.Timeout.TotalSeconds:0.###})"), transient: true, ex);
                }
                catch (HttpRequestException ex)
                {
                    failure = new FetchFailure(ex.InnerException is { } cause ? $"{ex.Message} ({cause.Message})" : ex.Message, transient: true, ex);
                }
                catch (IOException ex)
                {
                    failure = new FetchFailure($"the response broke off: {ex.Message}", transient: true, ex);
                }
            }

            if (!failure.Transient || attempt > source.Retries)
            {
                throw new PullException(
                    $"{source.Id}: GET {url.AbsoluteUri} failed: {failure.Message} (after {attempt} attempt{(attempt == 1 ? "" : "s")})",
                    failure.InnerException ?? failure);
            }

            var wait = Wait(failure.RetryAfter ?? Backoff(source.RetryDelay, attempt));
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: GET {url.AbsoluteUri}: {failure.Message}; retrying in {wait.TotalSeconds:0.###} s"));
            await delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): the first delay, doubled each time.</summary>
    public static TimeSpan Backoff(TimeSpan first, int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, attempt - 1), MaxWait.Ticks));

    private static TimeSpan Wait(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;

    /// <summary>
    /// Copies the body to <paramref name="destination"/>, enforcing the size cap (against <c>Content-Length</c> up
    /// front and while counting) and detecting a body shorter than its <c>Content-Length</c> (transient).
    /// </summary>
    public async Task<long> CopyBodyAsync(HttpResponseMessage response, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(destination);
        var declared = response.Content.Headers.ContentLength;
        var allowed = source.MaxBytes - Bytes;
        if (declared > allowed)
        {
            throw new FetchFailure(TooLarge(string.Create(CultureInfo.InvariantCulture, $"the response declares {declared} bytes (Content-Length)")), transient: false);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                long received = 0;
                var nextReport = ProgressEvery;
                int count;
                while ((count = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    received += count;
                    if (received > allowed)
                    {
                        throw new FetchFailure(TooLarge(string.Create(CultureInfo.InvariantCulture, $"more than {allowed} bytes received")), transient: false);
                    }

                    await destination.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                    if (received >= nextReport)
                    {
                        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: {received:N0} bytes received"));
                        nextReport += ProgressEvery;
                    }
                }

                if (declared is { } length && received < length)
                {
                    throw new FetchFailure(
                        string.Create(CultureInfo.InvariantCulture, $"the response ended after {received} of the {length} bytes it declared (Content-Length)"), transient: true);
                }

                Bytes += received;
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: received {received:N0} bytes"));
                return received;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads a JSON body (counted against the size cap); malformed JSON fails the pull.</summary>
    public async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        var length = await CopyBodyAsync(response, memory, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(memory.GetBuffer().AsMemory(0, (int)length));
        }
        catch (JsonException ex)
        {
            throw new FetchFailure($"the response is not valid JSON: {ex.Message}", transient: false, ex);
        }
    }

    private string TooLarge(string what) =>
        string.Create(CultureInfo.InvariantCulture, $"the export exceeds the size cap of {source.MaxBytes} bytes (maxBytes): {what}");

    /// <summary>The failure of a response whose status is neither 2xx nor 304, with the server's message when it gave one.</summary>
    private static async Task<FetchFailure> StatusFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var transient = status >= 500 || status is 408 or 429;
        var reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}").TrimEnd();
        var message = await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - (response.Headers.Date ?? DateTimeOffset.UtcNow),
            _ => null,
        };
        return new FetchFailure(message is null ? reason : $"{reason}: {message}", transient, retryAfter: transient ? retryAfter : null);
    }

    /// <summary>
    /// The message of an error body: a JSON error (Socrata <c>{"message":...,"code"/"errorCode":...}</c>, ArcGIS
    /// <c>{"error":{"code":...,"message":...,"details":[...]}}</c>) or short plain text; null when there is none.
    /// </summary>
    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                bytes = new byte[ErrorBodyLimit];
                var length = 0;
                int count;
                while (length < bytes.Length && (count = await body.ReadAsync(bytes.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += count;
                }

                Array.Resize(ref bytes, length);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (DescribeJsonError(json.RootElement) is { } described)
            {
                return described.Message;
            }
        }
        catch (JsonException)
        {
            // Not JSON: plain text is shown (shortened), markup is not.
        }

        var text = Encoding.UTF8.GetString(bytes).Trim();
        if (text.Length == 0 || text.StartsWith('<') || response.Content.Headers.ContentType?.MediaType is "text/html")
        {
            return null;
        }

        text = string.Join(' ', text.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 300 ? text[..300] + "..." : text;
    }

    /// <summary>
    /// Reads an API's JSON error: ArcGIS <c>{"error":{"code":500,"message":"...","details":["..."]}}</c>, Socrata
    /// <c>{"error":true,"message":"..."}</c> or <c>{"code":"...","message":"..."}</c> (newer: <c>errorCode</c>).
    /// Null when <paramref name="root"/> is not an error.
    /// </summary>
    public static (string Message, int? Code)? DescribeJsonError(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var error = root;
        if (root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object)
        {
            error = inner;
        }
        else if (!root.TryGetProperty("message", out _))
        {
            return null;
        }

        var codeText = Text(error, "code") ?? Text(error, "errorCode");
        int? code = int.TryParse(codeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
        var extras = new List<string>();
        if (codeText is not null)
        {
            extras.Add(code is null ? codeText : $"code {codeText}");
        }

        var message = Text(error, "message")?.Trim() ?? "";
        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            extras.AddRange(details.EnumerateArray()
                .Select(d => d.ValueKind == JsonValueKind.String ? d.GetString()?.Trim() : d.GetRawText())
                .OfType<string>()
                .Where(d => d.Length > 0 && d != message));
        }

        return message.Length == 0 && extras.Count == 0 ? null
            : message.Length == 0 ? (string.Join("; ", extras), code)
            : extras.Count == 0 ? (message, code)
            : ($"{message} ({string.Join("; ", extras)})", code);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>A name that is a valid staged file name: letters, digits, '-', '_' and '.' kept, anything else '_'; <paramref name="fallback"/> when nothing is left.</summary>
    public static string SafeFileName(string? candidate, string fallback)
    {
        if (string.IsNullOrWhiteSpace(candidate))
        {
            return fallback;
        }

        var name = new string(candidate.Trim().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.');
        return name.Length == 0 || name.All(c => c == '_') ? fallback : name;
    }
}
