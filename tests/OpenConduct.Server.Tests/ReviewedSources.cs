using System.Text;
using OpenConduct.Azure;
using OpenConduct.Azure.Tests;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// A sources file for the review tests: opcr under the Minnesota policy with narrative review required (and, with
/// <c>withCra</c>, the former CRA under the plain Minnesota policy, whose officers never merge automatically), written
/// beside copies of the profiles and policies.
/// </summary>
internal static class ReviewedSources
{
    public static string Write(string folder, bool withCra = false)
    {
        var samples = Path.Combine(Repo, "samples");
        Directory.CreateDirectory(Path.Combine(folder, "profiles"));
        Directory.CreateDirectory(Path.Combine(folder, "policies"));
        File.Copy(Path.Combine(samples, "profiles", "opcr.json"), Path.Combine(folder, "profiles", "opcr.json"));
        File.Copy(Path.Combine(samples, "profiles", "cra.json"), Path.Combine(folder, "profiles", "cra.json"));
        File.Copy(Path.Combine(samples, "policies", "minnesota.json"), Path.Combine(folder, "policies", "minnesota.json"));
        var policy = File.ReadAllText(Path.Combine(samples, "policies", "minnesota.json"))
            .Replace("\"residualRisk\": \"withhold\"", "\"residualRisk\": \"withhold\", \"review\": \"required\"", StringComparison.Ordinal)
            .Replace("\"narratives\": \"finalDiscipline\"", "\"narratives\": \"always\"", StringComparison.Ordinal);
        if (!policy.Contains("\"review\": \"required\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("samples/policies/minnesota.json no longer writes \"residualRisk\": \"withhold\": update the review tests' policy");
        }

        File.WriteAllText(Path.Combine(folder, "policies", "minnesota-reviewed.json"), policy);
        var path = Path.Combine(folder, "sources.json");
        var cra = withCra ? """, { "id": "cra", "kind": "drop", "profile": "profiles/cra.json", "policy": "policies/minnesota.json", "settleMinutes": 5 }""" : "";
        File.WriteAllText(path, $$"""
            {
              "publisher": { "name": "Example City", "contactName": "Open data", "contactEmail": "opendata@example.org", "license": "https://opendatacommons.org/licenses/pddl/1-0/", "baseUrl": "http://localhost:7071/api/releases/" },
              "sources": [ { "id": "opcr", "kind": "drop", "profile": "profiles/opcr.json", "policy": "policies/minnesota-reviewed.json", "settleMinutes": 5 }{{cra}} ]
            }
            """, Encoding.UTF8);
        return path;
    }

    /// <summary>
    /// The standalone server on <paramref name="storage"/> with these sources (written to <paramref name="folder"/>) and
    /// <paramref name="adminKey"/>, once its pipeline runs; <paramref name="more"/> are further options of <c>serve</c>.
    /// </summary>
    public static async Task<ApiServer> StartServerAsync(string folder, OpenConductStorage storage, string adminKey, bool withCra, params string[] more)
    {
        var sources = Write(folder, withCra);
        var environment = new Dictionary<string, string> { ["OPENCONDUCT_ADMIN_KEY"] = adminKey, ["OPENCONDUCT_PSEUDONYM_KEY"] = PseudonymKey["OPENCONDUCT_PSEUDONYM_KEY"]! };
        var server = await ApiServer.StartAsync(
            ["--prefix", storage.Options.Prefix!, "--storage", Azurite.ConnectionString, "--index", Path.Combine(folder, "index"), "--watch", "1", "--sources", sources, .. more],
            environment);
        try
        {
            await server.WaitForLogAsync($"pipeline: {(withCra ? 2 : 1)} source(s)", TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Drops an export into the source's incoming folder as the agency would (the sample's by default).</summary>
    public static void Drop(OpenConductStorage storage, string source, string? export = null)
    {
        var (exit, text) = Run("drop", "--source", source, "--prefix", storage.Options.Prefix!, "--storage", Azurite.ConnectionString, export ?? $"samples/exports/{source}");
        Assert.True(exit == 0, text);
    }
}
