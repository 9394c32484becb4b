namespace Gateway.Native.Tests;

/// <summary>Every libfunasr test shares one published library (the publish takes about a minute).</summary>
[CollectionDefinition(Name)]
public sealed class NativeCollection : ICollectionFixture<NativeLibraryFixture>
{
    public const string Name = "libfunasr";
}
