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
}
