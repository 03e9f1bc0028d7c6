namespace Gateway.Fast.Access;

/// <summary>A record of the access store, addressed by its public id.</summary>
internal interface IStoredRecord
{
    string Id { get; }
}
