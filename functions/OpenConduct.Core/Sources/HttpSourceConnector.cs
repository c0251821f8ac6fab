using System.Net;

namespace OpenConduct.Core.Sources;

/// <summary>
/// Pulls an export published as one file at an HTTP(S) URL (kind <c>http</c>): a conditional GET
/// (<c>If-None-Match</c>, <c>If-Modified-Since</c>); a 304 is <see cref="PullResult.Unchanged"/>, a 200 is streamed to
/// one staged file named <see cref="SourceDefinition.FileName"/> or the URL's last path segment (<c>{id}.csv</c> when it
/// has none). Retries, timeouts and the size cap: see docs/sources.md.
/// </summary>
/// <remarks>
/// Give it an <see cref="HttpClient"/> whose own <see cref="HttpClient.Timeout"/> is infinite (or longer than any
/// source's timeout): each request's timeout comes from <see cref="SourceDefinition.Timeout"/>.
/// </remarks>
/// <param name="http">The client to send requests with.</param>
/// <param name="delay">Waits between attempts (tests pass one that does not sleep); default <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</param>
public sealed class HttpSourceConnector(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null) : ISourceConnector
{
    private readonly Func<TimeSpan, CancellationToken, Task> delay = delay ?? SourceHttp.RealDelay;

    public SourceKind Kind => SourceKind.Http;

    public async Task<PullResult> PullAsync(SourceDefinition source, PullConditions conditions, string stagingFolder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(conditions);
        var url = source.Url ?? throw new PullException($"{source.Id}: an http source needs a url");
        var name = FileNameOf(source);
        var requests = new SourceHttp(http, delay, source, progress);
        try
        {
            return await requests.GetAsync(
                url,
                headers =>
                {
                    if (conditions.ETag is { Length: > 0 } etag)
                    {
                        headers.TryAddWithoutValidation("If-None-Match", etag);
                    }

                    headers.IfModifiedSince = conditions.LastModified;
                },
                async (response, ct) =>
                {
                    var etag = response.Headers.ETag?.ToString();
                    var lastModified = response.Content.Headers.LastModified;
                    if (response.StatusCode == HttpStatusCode.NotModified)
                    {
                        progress?.Report($"{source.Id}: not modified (304)");
                        return PullResult.Unchanged(url.ToString(), etag ?? conditions.ETag, lastModified ?? conditions.LastModified) with { Requests = requests.Requests };
                    }

                    var file = await Staging.WriteAsync(stagingFolder, name, (output, c) => requests.CopyBodyAsync(response, output, c), ct).ConfigureAwait(false);
                    return new PullResult
                    {
                        Files = [file],
                        Url = url.ToString(),
                        ETag = etag,
                        LastModified = lastModified,
                        Requests = requests.Requests,
                    };
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PullException or OperationCanceledException)
        {
            // A failed or cancelled download leaves no partial file behind.
            var partial = Path.Combine(stagingFolder, name);
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            throw;
        }
    }

    /// <summary>The staged file's name: <see cref="SourceDefinition.FileName"/>, else the URL's last path segment, else <c>{id}.csv</c> (made safe).</summary>
    public static string FileNameOf(SourceDefinition source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fallback = source.Id + ".csv";
        if (source.FileName is { Length: > 0 } configured)
        {
            return SourceHttp.SafeFileName(configured, fallback);
        }

        var last = source.Url?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return SourceHttp.SafeFileName(last is null ? null : Uri.UnescapeDataString(last), fallback);
    }
}
