namespace StreamClient;

/// <summary>One request's timings in Stopwatch ticks from the moment it was sent.</summary>
internal readonly record struct Sample(long Headers, long FirstByte, long LastByte);
