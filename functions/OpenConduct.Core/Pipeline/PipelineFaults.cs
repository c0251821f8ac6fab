namespace OpenConduct.Core.Pipeline;

/// <summary>
/// Called by the pipeline after each of its steps (<see cref="PipelineSteps"/>; one call per release artefact,
/// named <c>artefact:{path}</c>). The production pipeline has none; tests throw from it to prove that a crash
/// between any two steps leaves the live release untouched and that a re-run finishes the work.
/// </summary>
public interface IPipelineFaults
{
    void After(string step);
}

/// <summary>
/// A fault hook for tests that kill a real process mid-step: when the setting <see cref="Setting"/> names a step, the
/// process writes <c>fault: hanging after {step}</c> to <paramref name="report"/> once it has done that step, and hangs
/// there until it is killed. Not set in production (the hosts read it from the environment; unset, there is no hook).
/// </summary>
public sealed class HangAfterStep(string step, TextWriter report) : IPipelineFaults
{
    public const string Setting = "OPENCONDUCT_FAULT_HANG_AFTER";

    /// <summary>The hook the setting asks for, or null when it is not set.</summary>
    public static HangAfterStep? FromSettings(Func<string, string?> settings, TextWriter report)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings(Setting) is { Length: > 0 } step ? new HangAfterStep(step, report) : null;
    }

    public void After(string step1)
    {
        if (step1 == step)
        {
            report.WriteLine($"fault: hanging after {step1}");
            report.Flush();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}

/// <summary>The names of the pipeline's steps, in order.</summary>
public static class PipelineSteps
{
    // Pull
    public const string Fetched = "fetched";
    public const string RawFiles = "raw-files";
    public const string RawManifest = "raw-manifest";
    public const string IncomingRemoved = "incoming-removed";
    public const string PullRecorded = "pull-recorded";

    // Process
    public const string Imported = "imported";
    public const string Redacted = "redacted";
    public const string ArtefactPrefix = "artefact:";

    /// <summary>The queue of narratives waiting for a reviewer is written (only under a policy that requires review).</summary>
    public const string ReviewQueue = "review-queue";
    public const string Manifest = "manifest";
    public const string Latest = "latest";
    public const string ProcessRecorded = "process-recorded";
}
