using Gateway.Core.Protocols;

namespace Gateway.UnitTests.Protocols;

public sealed class MessageBatchTests
{
    [Fact]
    public void EndMessage_SeveralMessages_EachReadBackAndEmptyOnesSkipped()
    {
        var batch = new MessageBatch(4);

        batch.EndMessage();
        Write(batch, "one");
        batch.EndMessage();
        batch.EndMessage();
        Write(batch, "two");

        Assert.Equal(2, batch.Count);
        Assert.Equal("one"u8.ToArray(), batch[0].ToArray());
        Assert.Equal("two"u8.ToArray(), batch[1].ToArray());
        batch.Clear();
        Assert.Equal(0, batch.Count);
    }

    private static void Write(MessageBatch batch, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(batch.GetSpan(bytes.Length));
        batch.Advance(bytes.Length);
    }
}
