namespace StreamClient;

/// <summary>A silence between two events of one stream: when it ended (Unix milliseconds, wall clock, so it lines up with a
/// trace of another process) and how long it lasted.</summary>
internal readonly record struct EventGap(long EndUnixMs, double Ms);
