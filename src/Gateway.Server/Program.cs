using Gateway.Core.Configuration;
using Gateway.Server;

try
{
    var app = GatewayApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (InvalidGatewayConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
