using System.Runtime.CompilerServices;

// The router and body peek are unit-tested without a host.
[assembly: InternalsVisibleTo("Gateway.Fast.Tests")]
