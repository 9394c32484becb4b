using Gateway.Core.Admission;
using Gateway.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.FunctionalTests.Configuration;

public sealed class ConfigFileTests
{
    [Fact(Timeout = 60_000)]
    public async Task Build_ConfigFile_LayersOverAppSettingsButUnderTheCommandLine()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gateway-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Admission": { "MaxClients": 7, "IdleTimeout": "00:00:42" } }""");
        try
        {
            await using var app = GatewayApp.Build(["--ConfigFile", file, "--Admission:IdleTimeout", "00:00:09", "--Upstream:Endpoints:0:Url", "ws://127.0.0.1:1/"]);

            var admission = app.Services.GetRequiredService<IOptions<AdmissionOptions>>().Value;
            Assert.Equal(7, admission.MaxClients);
            Assert.Equal(TimeSpan.FromSeconds(9), admission.IdleTimeout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Build_InvalidValues_ThrowsWithEveryKeyListed()
    {
        var ex = Assert.Throws<Gateway.Core.Configuration.InvalidGatewayConfigurationException>(() =>
            GatewayApp.Build(["--Admission:MaxClients", "0", "--Dispatch:MaxAttempts", "0", "--Upstream:Endpoints:0:Url", "ws://127.0.0.1:1/"]));

        Assert.Contains("Admission:MaxClients must be between 1 and 100000 (was 0).", ex.Message);
        Assert.Contains("Dispatch:MaxAttempts must be between 1 and 10 (was 0).", ex.Message);
    }
}
