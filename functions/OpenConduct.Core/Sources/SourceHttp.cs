using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

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
/// The HTTP requests of one pull, shared by the connectors: GET with a per-attempt timeout, retries of transient
/// failures with exponential backoff or the server's <c>Retry-After</c>, a size cap over every byte received, and the
/// request count. The timeout and the retries are Microsoft.Extensions.Http.Resilience's strategies
/// (<see cref="HttpTimeoutStrategyOptions"/>, <see cref="HttpRetryStrategyOptions"/>), run around each request and the
/// reading of its body: a body that breaks off, arrives short or says the server failed (an ArcGIS error in a 200) is
/// retried like a 503, which the standard resilience handler, around sending only, could not do for a streamed body.
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
    /// when its status is 2xx or 304 and runs within the attempt's timeout; it may throw <see cref="FetchFailure"/>.
    /// </summary>
    public async Task<T> GetAsync<T>(Uri url, Action<HttpRequestHeaders>? headers, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var result = default(T);
        var (retry, timeout) = Pipelines(url, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await retry.ExecuteOutcomeAsync((retryContext, _) => timeout.ExecuteOutcomeAsync((attemptContext, _) => AttemptAsync(attemptContext.CancellationToken), retryContext, 0), context, 0).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        // One attempt, as an outcome (Polly's callbacks do not throw): the response of a failure, or none on success.
        async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(CancellationToken attemptToken)
        {
            attempts++;
            Requests++;
            progress?.Report(attempts == 1
                ? $"{source.Id}: GET {url.AbsoluteUri}"
                : $"{source.Id}: GET {url.AbsoluteUri} (attempt {attempts} of {source.Retries + 1})");
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                headers?.Invoke(request.Headers);
                var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
                {
                    return Outcome.FromResult(response);
                }

                using (response)
                {
                    result = await read(response, attemptToken).ConfigureAwait(false);
                }

                return Outcome.FromResult<HttpResponseMessage>(null!);
            }
            catch (Exception ex)
            {
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
        }

        if (outcome.Exception is null && outcome.Result is null)
        {
            return result!;
        }

        var failure = await DescribeAsync(outcome, cancellationToken).ConfigureAwait(false);
        outcome.Result?.Dispose();
        throw new PullException(
            $"{source.Id}: GET {url.AbsoluteUri} failed: {failure.Message} (after {attempts} attempt{(attempts == 1 ? "" : "s")})",
            failure.InnerException ?? failure);
    }

    private static TimeSpan Wait(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;

    /// <summary>
    /// The source's strategies: the retries (none when <see cref="SourceDefinition.Retries"/> is 0), waiting through
    /// <c>delay</c>, around the attempt's timeout (a real clock).
    /// </summary>
    private (ResiliencePipeline<HttpResponseMessage> Retry, ResiliencePipeline<HttpResponseMessage> Timeout) Pipelines(Uri url, CancellationToken cancellationToken)
    {
        var retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = new DelayTimeProvider(delay) };
        if (source.Retries > 0)
        {
            retry.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = source.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = source.RetryDelay,
                MaxDelay = MaxWait,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response && RetryAfter(response) is { } wait ? Wait(wait) : (TimeSpan?)null),
                OnRetry = async args =>
                {
                    var failure = await DescribeAsync(args.Outcome, cancellationToken).ConfigureAwait(false);
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: GET {url.AbsoluteUri}: {failure.Message}; retrying in {args.RetryDelay.TotalSeconds:0.###} s"));
                },
            });
        }

        var timeout = new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(new HttpTimeoutStrategyOptions { Timeout = source.Timeout });
        return (retry.Build(), timeout.Build());
    }

    /// <summary>Whether an attempt's outcome is worth another attempt (see the remarks).</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is not null && HttpClientResiliencePredicates.IsTransient(outcome),
        FetchFailure failure => failure.Transient,
        IOException => true,
        _ => HttpClientResiliencePredicates.IsTransient(outcome),
    };

    /// <summary>Why an attempt failed, in words; an exception that is no fetch failure (a bug, a cancellation) is rethrown.</summary>
    private async Task<FetchFailure> DescribeAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        switch (outcome.Exception)
        {
            case null:
                return await StatusFailureAsync(outcome.Result!, cancellationToken).ConfigureAwait(false);
            case FetchFailure failure:
                return failure;
            case TimeoutRejectedException timedOut:
                return new FetchFailure(string.Create(CultureInfo.InvariantCulture, $"timed out (timeoutSeconds: {source.Timeout.TotalSeconds:0.###})"), transient: true, timedOut);
            case HttpRequestException ex:
                return new FetchFailure(ex.InnerException is { } cause ? $"{ex.Message} ({cause.Message})" : ex.Message, transient: true, ex);
            case IOException ex:
                return new FetchFailure($"the response broke off: {ex.Message}", transient: true, ex);
            default:
                outcome.ThrowIfException();
                throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>: seconds, or a date against the response's).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (response.Headers.Date ?? DateTimeOffset.UtcNow),
        _ => null,
    };

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
        return new FetchFailure(message is null ? reason : $"{reason}: {message}", transient, retryAfter: transient ? RetryAfter(response) : null);
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
