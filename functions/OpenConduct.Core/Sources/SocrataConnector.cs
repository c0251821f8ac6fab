using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;

namespace OpenConduct.Core.Sources;

/// <summary>
/// Pulls a Socrata (SODA 2.x) dataset (kind <c>socrata</c>) as CSV, page by page:
/// <c>{resource}.csv?$limit={pageSize}&amp;$offset={n}&amp;$order={order}</c>, until a page has fewer than
/// <see cref="SourceDefinition.PageSize"/> data rows. The pages are joined into one staged CSV file
/// (<see cref="SourceDefinition.FileName"/> or <c>{id}.csv</c>): the first page's header, then every page's rows,
/// written as RFC 4180 (CRLF, quotes only where needed). Every page must have the first page's header.
/// </summary>
/// <remarks>
/// Socrata gives paged queries no useful <c>ETag</c>, so a pull is never <see cref="PullResult.NotModified"/>: the
/// pipeline's hash comparison makes an unchanged dataset a no-op. The app token, when
/// <see cref="SourceDefinition.AppTokenSetting"/> names a setting, is read from that environment variable (app settings
/// are environment variables in Azure Functions) and sent as <c>X-App-Token</c>.
/// </remarks>
/// <param name="http">The client to send requests with (its own timeout infinite; see <see cref="HttpSourceConnector"/>).</param>
/// <param name="delay">Waits between attempts (tests pass one that does not sleep).</param>
public sealed partial class SocrataConnector(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null) : ISourceConnector
{
    private static readonly CsvReaderOptions PageOptions = new()
    {
        Separator = ',',
        HasHeader = true,
        TrimWhitespace = false,
        DetectSeparatorHint = false,
        IncludeValuesInExceptions = false,
        PoolStrings = false,
        MaxRecordSize = 64 << 20,
    };

    private readonly Func<TimeSpan, CancellationToken, Task> delay = delay ?? SourceHttp.RealDelay;

    public SourceKind Kind => SourceKind.Socrata;

    public async Task<PullResult> PullAsync(SourceDefinition source, PullConditions conditions, string stagingFolder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var resource = (source.Url is null ? null : ResourceUrl(source.Url))
            ?? throw new PullException($"{source.Id}: '{source.Url}' is not a Socrata resource URL (https://host/resource/abcd-1234)");
        string? token = null;
        if (source.AppTokenSetting is { Length: > 0 } setting)
        {
            token = Environment.GetEnvironmentVariable(setting);
            if (string.IsNullOrEmpty(token))
            {
                throw new PullException($"{source.Id}: the app token setting '{setting}' (appTokenSetting) is not set");
            }
        }

        var name = SourceHttp.SafeFileName(source.FileName, source.Id + ".csv");
        var order = string.IsNullOrWhiteSpace(source.Order) ? ":id" : source.Order;
        var requests = new SourceHttp(http, delay, source, progress);
        var page = Path.Combine(stagingFolder, $"{name}.page");
        try
        {
            var file = await Staging.WriteAsync(stagingFolder, name, async (output, ct) =>
            {
                var writer = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
                await using (writer.ConfigureAwait(false))
                {
                    IReadOnlyList<string>? header = null;
                    long rows = 0;
                    for (long offset = 0; ; offset += source.PageSize)
                    {
                        var url = new Uri(string.Create(CultureInfo.InvariantCulture,
                            $"{resource}.csv?$limit={source.PageSize}&$offset={offset}&$order={Uri.EscapeDataString(order)}"));
                        await requests.GetAsync(
                            url,
                            headers =>
                            {
                                if (token is not null)
                                {
                                    headers.TryAddWithoutValidation("X-App-Token", token);
                                }
                            },
                            async (response, c) =>
                            {
                                var stream = new FileStream(page, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                                await using (stream.ConfigureAwait(false))
                                {
                                    return await requests.CopyBodyAsync(response, stream, c).ConfigureAwait(false);
                                }
                            },
                            ct).ConfigureAwait(false);

                        var (pageRows, pageHeader) = await AppendPageAsync(source, url, page, writer, header, ct).ConfigureAwait(false);
                        header ??= pageHeader;
                        rows += pageRows;
                        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: page at offset {offset}: {pageRows} rows ({rows} in all)"));
                        if (pageRows < source.PageSize)
                        {
                            break;
                        }
                    }

                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);

            return new PullResult { Files = [file], Url = resource.ToString(), Requests = requests.Requests };
        }
        catch (Exception ex) when (ex is PullException or OperationCanceledException)
        {
            var partial = Path.Combine(stagingFolder, name);
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            throw;
        }
        finally
        {
            if (File.Exists(page))
            {
                File.Delete(page);
            }
        }
    }

    /// <summary>
    /// Appends the rows of one downloaded page to <paramref name="writer"/>; the first page also writes the header.
    /// Returns the page's data rows and its header.
    /// </summary>
    private static async Task<(long Rows, IReadOnlyList<string> Header)> AppendPageAsync(
        SourceDefinition source, Uri url, string page, CsvWriter writer, IReadOnlyList<string>? first, CancellationToken cancellationToken)
    {
        var reader = CsvReader.Create(new FileStream(page, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true), PageOptions, leaveOpen: false);
        using (reader)
        {
            try
            {
                await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                var header = reader.Headers.ToArray();
                if (header.Length == 0)
                {
                    // An empty body: no header, no rows (past the end of a dataset Socrata still sends the header).
                    return (0, first ?? []);
                }

                if (first is null)
                {
                    foreach (var column in header)
                    {
                        writer.WriteField(column);
                    }

                    await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                }
                else if (HeaderDifference(first, header) is { } difference)
                {
                    throw new PullException($"{source.Id}: GET {url.AbsoluteUri}: the page's header differs from the first page's ({difference}); the dataset changed during the pull, or the order is not stable");
                }

                long rows = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    if (reader.FieldCount != header.Length)
                    {
                        throw new PullException(string.Create(CultureInfo.InvariantCulture,
                            $"{source.Id}: GET {url.AbsoluteUri}: line {reader.LineNumber} has {reader.FieldCount} fields where the header has {header.Length}"));
                    }

                    for (var i = 0; i < header.Length; i++)
                    {
                        writer.WriteField(reader.GetString(i));
                    }

                    await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                }

                return (rows, header);
            }
            catch (CsvFormatException ex)
            {
                throw new PullException($"{source.Id}: GET {url.AbsoluteUri}: the response is not valid CSV: {ex.Message}", ex);
            }
        }
    }

    private static string? HeaderDifference(IReadOnlyList<string> first, IReadOnlyList<string> page)
    {
        for (var i = 0; i < Math.Min(first.Count, page.Count); i++)
        {
            if (!string.Equals(first[i], page[i], StringComparison.Ordinal))
            {
                return string.Create(CultureInfo.InvariantCulture, $"column {i + 1} is '{page[i]}' where the first page has '{first[i]}'");
            }
        }

        return first.Count == page.Count
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{page.Count} columns where the first page has {first.Count}");
    }

    /// <summary>
    /// The dataset's resource URL without a <c>.csv</c>/<c>.json</c> suffix, query or fragment
    /// (<c>https://host/resource/abcd-1234</c>); null when <paramref name="url"/> is not a resource URL.
    /// </summary>
    public static Uri? ResourceUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var match = ResourcePath().Match(url.AbsolutePath);
        return match.Success ? new Uri(url.GetLeftPart(UriPartial.Authority) + match.Groups["path"].Value) : null;
    }

    [GeneratedRegex(@"^(?<path>/resource/[A-Za-z0-9]{4}-[A-Za-z0-9]{4})(\.csv|\.json)?/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePath();
}
