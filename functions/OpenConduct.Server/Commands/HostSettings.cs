using System.CommandLine;
using global::Azure.Identity;
using OpenConduct.Azure;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;
using OpenConduct.Lucene;

namespace OpenConduct.Server.Commands;

/// <summary>The options and services every command that touches storage or the officer index shares, defined once.</summary>
internal static class HostSettings
{
    public static Option<FileInfo> SourcesOption(string description) => new("--sources")
    {
        Description = description,
        DefaultValueFactory = _ => new FileInfo(Environment.GetEnvironmentVariable("OPENCONDUCT_SOURCES") ?? Path.Combine("samples", "sources.json")),
    };

    public static Option<string> StorageOption(string description) => new("--storage")
    {
        Description = description + " (default: OPENCONDUCT_STORAGE, else Azurite: UseDevelopmentStorage=true).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENCONDUCT_STORAGE") ?? "UseDevelopmentStorage=true",
    };

    public static Option<string?> PrefixOption() => new("--prefix")
    {
        Description = "A prefix for the container and table names (lowercase letters and digits), to keep several installations or test runs apart in one account.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENCONDUCT_STORAGE_PREFIX"),
    };

    /// <summary>
    /// The storage options of a command: the prefix, and the blob lease's length from OPENCONDUCT_LEASE_SECONDS (15 to 60,
    /// default 60): how long a source stays locked after the process that held it died.
    /// </summary>
    public static StorageOptions StorageOptions(string? prefix)
    {
        var options = new StorageOptions { Prefix = prefix };
        if (int.TryParse(Environment.GetEnvironmentVariable("OPENCONDUCT_LEASE_SECONDS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            options.LeaseSeconds = seconds;
        }

        return options;
    }

    public static Option<DirectoryInfo> IndexOption(string? more = null) => new("--index")
    {
        Description = "The embedded officer index's folder (default: OPENCONDUCT_INDEX, else artifacts/index)." + (more is null ? "" : " " + more),
        DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("OPENCONDUCT_INDEX") ?? Path.Combine("artifacts", "index")),
    };

    /// <summary>The Azure AI Search endpoint, when one is configured (then it is the officer index).</summary>
    public static string? SearchEndpoint => Environment.GetEnvironmentVariable("OPENCONDUCT_SEARCH_ENDPOINT") is { Length: > 0 } endpoint ? endpoint : null;

    /// <summary>The officer index: Azure AI Search when a service is configured (Entra ID, no keys), else the embedded index in <paramref name="folder"/>.</summary>
    public static IOfficerIndex OpenIndex(DirectoryInfo folder) =>
        SearchEndpoint is { } endpoint
            ? AzureSearchOfficerIndex.Create(new Uri(endpoint), new DefaultAzureCredential())
            : new LuceneOfficerIndex(folder.FullName);

    /// <summary>Where <see cref="OpenIndex"/> keeps the index, for messages.</summary>
    public static string IndexLocation(DirectoryInfo folder) => SearchEndpoint ?? folder.FullName;

    /// <summary>The storage account with its containers and tables created, or null (the reason written) when it cannot be reached.</summary>
    public static async Task<OpenConductStorage?> ConnectStorageAsync(string connection, StorageOptions options, string command, TextWriter output, CancellationToken cancellationToken)
    {
        var storage = OpenConductStorage.Create(connection, options);
        try
        {
            await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            return storage;
        }
        catch (Exception ex) when (ex is global::Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            output.WriteLine($"{command}: cannot reach the storage account ({ex.Message.Split('\n')[0]}). Locally, start Azurite: scripts/azurite.sh start");
            return null;
        }
    }
}
