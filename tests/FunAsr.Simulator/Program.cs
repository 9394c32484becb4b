// Placeholder entry point; the simulator is built in issue 4.
Console.WriteLine("FunASR SIMULATOR (not a recogniser)");
