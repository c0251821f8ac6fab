using Microsoft.Extensions.Configuration;
using OpenConduct.Azure;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Functions;

/// <summary>
/// What the Functions app reads before it starts, each checked with a message naming the setting: the sources file
/// (<c>OPENCONDUCT_SOURCES</c>, default <c>sources.json</c> in the app's folder, deployed with it), the identity
/// overrides beside it (<c>identity-overrides.json</c>, optional), the Azure AI Search endpoint (<c>Search:endpoint</c>,
/// required: the app has no embedded index) and the container names the blob triggers watch.
/// </summary>
public sealed record FunctionsSettings(string SourcesPath, SourcesConfig Sources, IdentityOverrides Overrides, string? OverridesHash)
{
    /// <summary>The setting naming the sources file, absolute or relative to the app's folder.</summary>
    public const string SourcesSetting = "OPENCONDUCT_SOURCES";

    /// <summary>The container whose <c>_manifest.json</c> blobs trigger <see cref="ProcessRawExport"/>.</summary>
    public const string RawContainer = "exports-raw";

    /// <summary>The container whose new blobs (agency drops) trigger <see cref="ProcessIncomingDrop"/>.</summary>
    public const string IncomingContainer = "exports-incoming";

    /// <summary>
    /// The precinct boundaries the map widget draws: <c>Api__PrecinctsGeoJson</c>, a path relative to the app's folder
    /// (default <c>precincts.geojson</c>, deployed beside the sources file when the configuration folder has
    /// <c>widgets/precincts.geojson</c>), or null when there is no such file (the map then says none is configured).
    /// </summary>
    public static string? PrecinctsFile(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Path.Combine(AppContext.BaseDirectory, configuration["Api:PrecinctsGeoJson"] is { Length: > 0 } name ? name : "precincts.geojson");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Reads and checks the settings; throws <see cref="InvalidOperationException"/> naming what is wrong.</summary>
    public static FunctionsSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration["Search:endpoint"]))
        {
            throw new InvalidOperationException(
                "The app setting Search__endpoint is not set. The Functions app indexes officers in Azure AI Search: set it to "
                + "https://{service}.search.windows.net (infra/main.bicep does), with the roles Search Index Data Contributor "
                + "and Search Service Contributor for the app's identity.");
        }

        // The blob triggers name their containers (ProcessRawExport, ProcessIncomingDrop), as do the Event Grid
        // subscriptions of infra/: the pipeline must use the same names.
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (storage.ContainerName(storage.RawContainer) != RawContainer || storage.ContainerName(storage.IncomingContainer) != IncomingContainer)
        {
            throw new InvalidOperationException(
                $"The blob triggers watch the containers {RawContainer} and {IncomingContainer}, but the Storage settings name "
                + $"{storage.ContainerName(storage.RawContainer)} and {storage.ContainerName(storage.IncomingContainer)}: "
                + "leave Storage__Prefix, Storage__RawContainer and Storage__IncomingContainer unset in the Functions app.");
        }

        var sourcesFile = Path.Combine(AppContext.BaseDirectory, configuration[SourcesSetting] is { Length: > 0 } name ? name : "sources.json");
        SourcesConfig sources;
        (IdentityOverrides Overrides, string? Hash) overrides;
        try
        {
            sources = SourcesFile.Load(sourcesFile);
            overrides = OfficerIndexStep.LoadOverrides(Path.Combine(Path.GetDirectoryName(sourcesFile)!, "identity-overrides.json"));
        }
        catch (Exception ex) when (ex is SourcesException or IdentityOverridesException)
        {
            throw new InvalidOperationException($"{SourcesSetting} ({sourcesFile}): {ex.Message}", ex);
        }

        return new FunctionsSettings(sourcesFile, sources, overrides.Overrides, overrides.Hash);
    }
}
