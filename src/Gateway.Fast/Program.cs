using Gateway.Fast.Hosting;

var app = GatewayHost.Build(args);
app.Run();
