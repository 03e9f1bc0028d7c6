// Standalone simulator: dotnet run --project src/Gateway.Fast.Simulator -c Release -- --urls http://127.0.0.1:5055
// Listens where --urls or ASPNETCORE_URLS says (Kestrel's default otherwise). See SimulatorControls for the x-sim-* headers.
await Gateway.Fast.Simulator.SimulatorApp.Build(args).RunAsync();
