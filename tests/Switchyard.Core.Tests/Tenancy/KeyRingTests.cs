using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using Xunit;

namespace Switchyard.Core.Tests.Tenancy;

public sealed class KeyRingTests
{
    private static readonly Caller _alice = new() { KeyName = "alice", KeyId = "a" };
    private static readonly Caller _bob = new() { KeyName = "bob", KeyId = "b" };

    private static KeyRing Ring() => new([new(KeyRing.Hash("sk-alice-0001"), _alice), new(KeyRing.Hash("sk-bob-ünïcode"), _bob)]);

    [Fact]
    public void Hash_KnownKey_IsLowerHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyRing.Hash("abc"));
    }

    [Fact]
    public void TryAuthenticate_KnownKeys_ReturnTheirCallers()
    {
        var ring = Ring();

        Assert.True(ring.TryAuthenticate("sk-alice-0001", out var a));
        Assert.Same(_alice, a);
        Assert.True(ring.TryAuthenticate("sk-bob-ünïcode", out var b));
        Assert.Same(_bob, b);
        Assert.Equal(2, ring.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-alice-0002")]
    [InlineData("SK-ALICE-0001")]
    [InlineData("sk-alice-0001 ")]
    public void TryAuthenticate_UnknownKey_False(string key)
    {
        Assert.False(Ring().TryAuthenticate(key, out _));
    }

    [Fact]
    public void TryAuthenticate_OverlongKey_FalseWithoutHashing()
    {
        var ring = new KeyRing([new(KeyRing.Hash(new string('k', 513)), _alice)]);

        Assert.False(ring.TryAuthenticate(new string('k', 513), out _));
    }

    [Fact]
    public void Constructor_UpperCaseHash_StillMatches()
    {
        var ring = new KeyRing([new(KeyRing.Hash("sk-alice-0001").ToUpperInvariant(), _alice)]);

        Assert.True(ring.TryAuthenticate("sk-alice-0001", out var caller));
        Assert.Same(_alice, caller);
    }

    [Fact]
    public void Empty_AuthenticatesNothing()
    {
        Assert.False(KeyRing.Empty.TryAuthenticate("anything", out _));
        Assert.Equal(0, KeyRing.Empty.Count);
    }
}
