using System.Security.Cryptography;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Pipeline;

/// <summary>
/// What processing a source's export needs: its id, mapping profile and disclosure policy, with the SHA-256 of
/// the profile and policy files (part of the release id: a changed policy gives a new release of the same export).
/// </summary>
public sealed record SourceConfiguration(string SourceId, MappingProfile Profile, DisclosurePolicy Policy, string ProfileHash, string PolicyHash)
{
    /// <summary>Loads the profile and the policy of a configured source (throws ProfileException / PolicyException with every problem).</summary>
    public static SourceConfiguration Load(SourceDefinition source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Load(source.Id, source.Profile, source.Policy);
    }

    public static SourceConfiguration Load(string sourceId, string profilePath, string policyPath) => Read(sourceId, profilePath, policyPath);

    /// <summary>Loads a profile and a policy for a local export; the source id is the profile's source, in lower case.</summary>
    public static SourceConfiguration Load(string profilePath, string policyPath) => Read(null, profilePath, policyPath);

    /// <summary>Each file is read once: parsed and hashed from the same bytes.</summary>
    private static SourceConfiguration Read(string? sourceId, string profilePath, string policyPath)
    {
        var profileBytes = File.ReadAllBytes(profilePath);
        var policyBytes = File.ReadAllBytes(policyPath);
        var profile = MappingProfileLoader.Load(new MemoryStream(profileBytes), profilePath);
        return new(
            Storage.StorePaths.Segment(sourceId ?? profile.Source.ToLowerInvariant()),
            profile,
            DisclosurePolicyLoader.Load(new MemoryStream(policyBytes), policyPath),
            Convert.ToHexStringLower(SHA256.HashData(profileBytes)),
            Convert.ToHexStringLower(SHA256.HashData(policyBytes)));
    }
}
