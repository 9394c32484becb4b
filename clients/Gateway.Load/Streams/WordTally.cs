namespace Gateway.Load.Streams;

/// <summary>Words the finals had to contain against the words they did contain.</summary>
internal sealed record WordTally(int Expected, int Recovered, int Lost, int Duplicated, int OutOfOrder, int Unexpected)
{
    public static WordTally Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public static WordTally operator +(WordTally a, WordTally b) => new(
        a.Expected + b.Expected, a.Recovered + b.Recovered, a.Lost + b.Lost,
        a.Duplicated + b.Duplicated, a.OutOfOrder + b.OutOfOrder, a.Unexpected + b.Unexpected);
}
