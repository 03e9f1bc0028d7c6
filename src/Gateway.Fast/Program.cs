using Gateway.Fast.Hosting;

SocketCompletions.PreferInline(); // before any socket exists: the runtime reads it once
var app = GatewayHost.Build(args);
app.Run();
