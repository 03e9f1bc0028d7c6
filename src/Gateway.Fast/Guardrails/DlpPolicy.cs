namespace Gateway.Fast.Guardrails;

/// <summary>One DLP policy of a gateway: which profiles it checks, on which side, and what it does on a match.</summary>
public sealed class DlpPolicy
{
    public DlpPolicy(string id, GuardAction action, bool checksRequest, bool checksResponse, DlpProfile[] profiles)
    {
        Id = id;
        Action = action;
        ChecksRequest = checksRequest;
        ChecksResponse = checksResponse;
        Profiles = profiles;
        foreach (var p in profiles)
        {
            Entries |= p.Entries;
        }
    }

    public string Id { get; }

    public GuardAction Action { get; }

    public bool ChecksRequest { get; }

    public bool ChecksResponse { get; }

    public DlpProfile[] Profiles { get; }

    /// <summary>Every detector of every profile, so "does this policy fire" is one AND.</summary>
    public DlpEntries Entries { get; }

    public bool Checks(GuardCheck check) => check == GuardCheck.Request ? ChecksRequest : ChecksResponse;
}

/// <summary>A profile a policy names, with the detectors its id resolves to (<see cref="DlpProfiles.Resolve"/>).</summary>
public readonly record struct DlpProfile(string Id, DlpEntries Entries);
