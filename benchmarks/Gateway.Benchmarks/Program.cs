using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project benchmarks/Gateway.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
