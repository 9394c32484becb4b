using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Audio;

// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*'
// Stop-band table of the resamplers: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- stopband
if (args is ["stopband"])
{
    StopBand.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
