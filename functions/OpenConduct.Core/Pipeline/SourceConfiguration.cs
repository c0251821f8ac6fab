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

    public static SourceConfiguration Load(string sourceId, string profilePath, string policyPath) =>
        new(
            Storage.StorePaths.Segment(sourceId),
            MappingProfileLoader.LoadFile(profilePath),
            DisclosurePolicyLoader.LoadFile(policyPath),
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(profilePath))),
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(policyPath))));
}
