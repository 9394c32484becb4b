using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Configuration;

/// <summary>One options section to materialise at start-up; <see cref="Run"/> checks them all.</summary>
public sealed class OptionsCheck
{
    private readonly Func<IServiceProvider, object> _resolve;

    public OptionsCheck(string section, Func<IServiceProvider, object> resolve)
    {
        Section = section;
        _resolve = resolve;
    }

    public string Section { get; }

    /// <summary>
    /// Binds and validates every registered section, collecting all failures (binding and validation)
    /// before throwing one <see cref="InvalidGatewayConfigurationException"/> that lists them.
    /// </summary>
    public static void Run(IServiceProvider services)
    {
        var failures = new List<string>();
        foreach (var check in services.GetServices<OptionsCheck>())
        {
            try
            {
                _ = check._resolve(services);
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
            catch (InvalidOperationException ex)
            {
                // Binder errors: a value of the wrong type or a key the section does not have.
                failures.Add($"{check.Section}: {ex.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidGatewayConfigurationException(failures);
        }
    }
}
