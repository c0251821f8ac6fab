using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenConduct.Api;

/// <summary>
/// The officer search's 200 answer: what <c>TypedResults.Ok(response)</c> writes (status 200,
/// <c>application/json; charset=utf-8</c>, the hosts' JSON options: camelCase, nulls omitted, their encoder), written
/// field by field with a <see cref="Utf8JsonWriter"/> instead of through the serializer's per-property metadata, and
/// described to OpenAPI as <see cref="Ok{TValue}"/> describes it. The search is the API's most frequent answer
/// (type-ahead); a test compares the bytes with the serializer's.
/// </summary>
public sealed class OfficerSearchOk : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OfficerSearchResponse>, IContentTypeHttpResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    private static readonly JsonEncodedText Page = JsonEncodedText.Encode("page");
    private static readonly JsonEncodedText PageSize = JsonEncodedText.Encode("pageSize");
    private static readonly JsonEncodedText Total = JsonEncodedText.Encode("total");
    private static readonly JsonEncodedText Officers = JsonEncodedText.Encode("officers");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText DisplayName = JsonEncodedText.Encode("displayName");
    private static readonly JsonEncodedText CurrentBadge = JsonEncodedText.Encode("currentBadge");
    private static readonly JsonEncodedText Badges = JsonEncodedText.Encode("badges");
    private static readonly JsonEncodedText Rank = JsonEncodedText.Encode("rank");
    private static readonly JsonEncodedText Unit = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText Complaints = JsonEncodedText.Encode("complaints");
    private static readonly JsonEncodedText Match = JsonEncodedText.Encode("match");
    private static readonly JsonEncodedText NamePublished = JsonEncodedText.Encode("namePublished");
    private static readonly JsonEncodedText EmployeeIds = JsonEncodedText.Encode("employeeIds");
    private static readonly JsonEncodedText Sources = JsonEncodedText.Encode("sources");
    private static readonly JsonEncodedText FirstComplaintYear = JsonEncodedText.Encode("firstComplaintYear");
    private static readonly JsonEncodedText LastComplaintYear = JsonEncodedText.Encode("lastComplaintYear");

    public OfficerSearchOk(OfficerSearchResponse value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    public OfficerSearchResponse Value { get; }

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => JsonContentType;

    /// <summary>The same response metadata as <see cref="Ok{TValue}"/> (200, the type, <c>application/json</c>).</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(OfficerSearchResponse), ["application/json"]));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var options = httpContext.RequestServices.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
            ?? JsonSerializerOptions.Web;
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = JsonContentType;
        var body = httpContext.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, SkipValidation = true }))
        {
            Write(writer, Value);
        }

        var flush = body.FlushAsync(httpContext.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    /// <summary>The response as the serializer writes it with the hosts' options (property order, nulls omitted).</summary>
    public static void Write(Utf8JsonWriter writer, OfficerSearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        writer.WriteNumber(Page, response.Page);
        writer.WriteNumber(PageSize, response.PageSize);
        writer.WriteNumber(Total, response.Total);
        if (response.Officers is { } officers)
        {
            writer.WriteStartArray(Officers);
            for (var i = 0; i < officers.Count; i++)
            {
                WriteOfficer(writer, officers[i]);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteOfficer(Utf8JsonWriter writer, OfficerSummaryResponse? o)
    {
        if (o is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteString(writer, Id, o.Id);
        WriteString(writer, DisplayName, o.DisplayName);
        WriteString(writer, CurrentBadge, o.CurrentBadge);
        WriteList(writer, Badges, o.Badges);
        WriteString(writer, Rank, o.Rank);
        WriteString(writer, Unit, o.Unit);
        writer.WriteNumber(Complaints, o.Complaints);
        WriteString(writer, Match, o.Match);
        writer.WriteBoolean(NamePublished, o.NamePublished);
        WriteList(writer, EmployeeIds, o.EmployeeIds);
        WriteList(writer, Sources, o.Sources);
        if (o.FirstComplaintYear is { } first)
        {
            writer.WriteNumber(FirstComplaintYear, first);
        }

        if (o.LastComplaintYear is { } last)
        {
            writer.WriteNumber(LastComplaintYear, last);
        }

        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]);
        }

        writer.WriteEndArray();
    }
}
