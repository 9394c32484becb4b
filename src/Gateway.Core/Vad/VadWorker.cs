namespace Gateway.Core.Vad;

/// <summary>A worker's engine, its row-to-stream map for the current batch, and (except worker 0) its thread.</summary>
internal sealed class VadWorker
{
    public VadWorker(VadEngine engine, Action<VadWorker>? loop)
    {
        Engine = engine;
        Rows = new VadStream?[engine.MaxBatch];
        if (loop is not null)
        {
            Thread = new Thread(() => loop(this)) { IsBackground = true, Name = "vad-worker" };
            Thread.Start();
        }
    }

    public VadEngine Engine { get; }

    public VadStream?[] Rows { get; }

    public Thread? Thread { get; }

    /// <summary>
    /// Runs the engine on the first <paramref name="rows"/> of <see cref="Rows"/>, each row from its stream's own
    /// recurrent state (copied in; the stream's state is not touched, so a peek can run from it too).
    /// </summary>
    public void RunRows(int rows)
    {
        for (var b = 0; b < rows; b++)
        {
            var stream = Rows[b]!;
            stream.State(0).CopyTo(Engine.State(0, b, rows));
            stream.State(1).CopyTo(Engine.State(1, b, rows));
        }

        Engine.Run(rows);
    }
}
