using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenConduct.Api;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The officer search's answer is written field by field (<see cref="OfficerSearchOk"/>) in both hosts: the bytes,
/// status and content type must be what <c>TypedResults.Ok(response)</c> wrote with the hosts' JSON options (their
/// encoder, camelCase, nulls omitted, the records' property order).
/// </summary>
public sealed class OfficerSearchJsonTests
{
    public static TheoryData<string> Responses => ["full", "empty", "nulls"];

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task The_search_answer_is_what_the_serializer_wrote_with_the_hosts_options(string which)
    {
        var response = which switch
        {
            "empty" => new OfficerSearchResponse(1, OfficersApi.PageSize, 0, []),
            "nulls" => new OfficerSearchResponse(1, OfficersApi.PageSize, 1,
                [new OfficerSummaryResponse("off-3", "Ann <b>O'Brien</b> \u2028 \U0001F600", null, [null!, "Ø-7"], null, null, 0, "Fuzzy") { EmployeeIds = null!, Sources = [] }]),
            _ => new OfficerSearchResponse(2, OfficersApi.PageSize, 12_345,
            [
                new OfficerSummaryResponse("off-1", "José M. Núñez", "A-123", ["A-123", "0456"], "Sergeant", null, 7, "Prefix")
                {
                    Sources = ["IAU", "OPCR"],
                    FirstComplaintYear = 2009,
                    LastComplaintYear = 2016,
                    EmployeeIds = ["E1"],
                },
                new OfficerSummaryResponse("off-2", "Officer (name not published)", null, [], null, "Precinct <3> & \"SWAT\" \\ \t", int.MaxValue, "Badge")
                {
                    NamePublished = false,
                    LastComplaintYear = -1,
                },
            ]),
        };
        using var services = Services();
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var serializer = new DefaultHttpContext { RequestServices = services };
        serializer.Response.Body = new MemoryStream();
        var written = new DefaultHttpContext { RequestServices = services };
        written.Response.Body = new MemoryStream();

        await TypedResults.Ok(response).ExecuteAsync(serializer);
        await new OfficerSearchOk(response).ExecuteAsync(written);

        Assert.Equal(Text(serializer), Text(written));
        Assert.Equal(serializer.Response.StatusCode, written.Response.StatusCode);
        Assert.Equal(serializer.Response.ContentType, written.Response.ContentType);
        // And what reflection alone writes with those options (the serializer above could itself come from generated code).
        var reflection = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(response, reflection), Text(written));
    }

    private static ServiceProvider Services() => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddLogging()
        .AddOpenConductApi()
        .BuildServiceProvider();

    private static string Text(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
