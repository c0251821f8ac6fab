using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenConduct.Api;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The officer search response is written from generated JSON metadata in both hosts (they share
/// <see cref="ApiHosting.AddOpenConductApi"/>): the JSON must be what the reflection-based serializer wrote with the
/// hosts' options before (camelCase, nulls omitted, the same property order and escaping).
/// </summary>
public sealed class OfficerSearchJsonTests
{
    [Fact]
    public void The_search_response_is_written_from_generated_metadata_as_reflection_wrote_it()
    {
        var options = HostOptions();
        var response = new OfficerSearchResponse(2, OfficersApi.PageSize, 12_345,
        [
            new OfficerSummaryResponse("off-1", "José M. Núñez", "A-123", ["A-123", "0456"], "Sergeant", null, 7, "Prefix")
            {
                Sources = ["IAU", "OPCR"],
                FirstComplaintYear = 2009,
                LastComplaintYear = 2016,
                EmployeeIds = ["E1"],
            },
            new OfficerSummaryResponse("off-2", "Officer (name not published)", null, [], null, "Precinct <3> & \"SWAT\"", 0, "Badge")
            {
                NamePublished = false,
            },
        ]);

        // The hosts' options with reflection only: what they wrote before (their encoder, naming and null handling).
        var reflection = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var typeInfo = options.GetTypeInfo(typeof(OfficerSearchResponse));
        var written = JsonSerializer.Serialize(response, typeInfo);

        Assert.IsAssignableFrom<JsonSerializerContext>(typeInfo.OriginatingResolver);
        Assert.Equal(JsonSerializer.Serialize(response, reflection), written);
        Assert.Contains("\"namePublished\":false", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"unit\":null", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_answers_keep_the_reflection_based_serializer()
    {
        var options = HostOptions();

        var typeInfo = options.GetTypeInfo(typeof(OpenConduct.Core.Officers.OfficerDocument));

        Assert.IsNotAssignableFrom<JsonSerializerContext>(typeInfo.OriginatingResolver);
    }

    private static JsonSerializerOptions HostOptions()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddOpenConductApi()
            .BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
