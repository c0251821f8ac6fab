using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>Who publishes the open data: the catalog entry (DCAT-US <c>data.json</c>) and the data package name it.</summary>
public sealed record PublisherOptions
{
    /// <summary>The publishing organisation, e.g. "City of Minneapolis, Department of Civil Rights".</summary>
    public string Name { get; init; } = "OpenConduct";

    public string ContactName { get; init; } = "Open data team";

    public string ContactEmail { get; init; } = "opendata@example.org";

    /// <summary>The license of the datasets (a URL).</summary>
    public string License { get; init; } = "https://opendatacommons.org/licenses/pddl/1-0/";

    /// <summary>The license's short identifier, for the data package (e.g. "ODC-PDDL-1.0", "CC-BY-4.0").</summary>
    public string LicenseName { get; init; } = "ODC-PDDL-1.0";

    /// <summary>The license's title, for the data package.</summary>
    public string LicenseTitle { get; init; } = "Open Data Commons Public Domain Dedication and License v1.0";

    /// <summary>
    /// Where releases are downloadable from: a distribution's URL is <c>{BaseUrl}/{source}/{releaseId}/{path}</c>
    /// (the API's dataset route, or wherever a city copies an <c>--out</c> folder).
    /// </summary>
    public Uri BaseUrl { get; init; } = new("http://localhost:7071/api/releases/");

    /// <summary>Keywords of the catalog entries.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = ["police", "complaints", "misconduct", "civilian oversight"];
}

/// <summary>Everything a release is built from. The records are the redacted ones: the only kind a builder accepts.</summary>
public sealed record ReleaseInput
{
    public required string Source { get; init; }

    /// <summary>The release id (deterministic: the same raw export, profile and policy give the same id).</summary>
    public required string ReleaseId { get; init; }

    /// <summary>
    /// The release's time: when its raw export was pulled (not the time of building, so that re-building the same
    /// export gives byte-identical artefacts).
    /// </summary>
    public required DateTimeOffset PublishedAt { get; init; }

    public required RedactedRelease Records { get; init; }

    /// <summary>The import's report: per-file counts, row errors (locations and reasons, never values), unmapped values.</summary>
    public required ImportReport Import { get; init; }

    public required DisclosurePolicy Policy { get; init; }

    public PublisherOptions Publisher { get; init; } = new();

    /// <summary>The live release before this one (for the change summary), or null for the first release.</summary>
    public string? PreviousReleaseId { get; init; }

    /// <summary>The artefacts of <see cref="PreviousReleaseId"/>.</summary>
    public IArtefactStore? Previous { get; init; }
}
