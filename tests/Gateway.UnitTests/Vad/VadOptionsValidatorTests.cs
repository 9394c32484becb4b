using Gateway.Core.Vad;

namespace Gateway.UnitTests.Vad;

public sealed class VadOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new VadOptionsValidator().Validate(null, new VadOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BadValues_ReportsEveryKey()
    {
        var options = new VadOptions
        {
            ModelPath = "models/missing.onnx",
            Workers = 0,
            MaxBatch = 0,
            EnergyGate = new EnergyGateOptions { FloorDbfs = 3 },
        };

        var result = new VadOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                $"Vad:ModelPath file not found: {Path.Combine(AppContext.BaseDirectory, "models/missing.onnx")}.",
                "Vad:Workers must be between 1 and 256 (was 0).",
                "Vad:MaxBatch must be between 1 and 1024 (was 0).",
                "Vad:EnergyGate:FloorDbfs must be between -120 and 0 (was 3).",
            ],
            result.Failures);
    }
}
