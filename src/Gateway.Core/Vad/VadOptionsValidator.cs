using Gateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Vad;

/// <summary>Start-up validation of <see cref="VadOptions"/>; every problem is reported at once.</summary>
public sealed class VadOptionsValidator : IValidateOptions<VadOptions>
{
    public const string Section = "Vad";

    public ValidateOptionsResult Validate(string? name, VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new OptionsErrors(Section);
        if (string.IsNullOrWhiteSpace(options.ModelPath))
        {
            errors.Add(nameof(VadOptions.ModelPath), "must name the Silero VAD model file.");
        }
        else if (!File.Exists(options.ResolveModelPath()))
        {
            errors.Add(nameof(VadOptions.ModelPath), $"file not found: {options.ResolveModelPath()}.");
        }

        errors.Range(nameof(VadOptions.Workers), options.Workers, 1, 256);
        errors.Range(nameof(VadOptions.TickMs), options.TickMs, 1, 32);
        errors.Range(nameof(VadOptions.MaxBatch), options.MaxBatch, 1, 1024);
        errors.Range(nameof(VadOptions.MaxWindowsPerStreamPerTick), options.MaxWindowsPerStreamPerTick, 1, 1000);
        errors.Range("EnergyGate:FloorDbfs", options.EnergyGate.FloorDbfs, -120, 0);
        return errors.Result();
    }
}
