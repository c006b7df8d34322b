using Switchyard.Core.Common;
using Xunit;

namespace Switchyard.Core.Tests.Common;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-" + "proj-test0000000000000.", "Incorrect API key provided: [redacted]")]
    [InlineData("key AK" + "IATESTONLY00000000 denied", "key [redacted] denied")]
    [InlineData("AI" + "zaTESTONLY00000000 is invalid", "[redacted] is invalid")]
    [InlineData("Authorization: Bearer test" + "-bearer-token-0000", "Authorization: [redacted]")]
    [InlineData("token=gh" + "p_test0000000000000000", "token=[redacted]")]
    public void Redact_CredentialPrefixes_Redacted(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(text));
    }

    [Fact]
    public void Redact_LongHighEntropyRun_Redacted()
    {
        Assert.Equal("secret [redacted] end", SecretRedactor.Redact("secret 0a1b2c3d0a1b2c3d0a1b2c3d0a1b2c3d0a1b end"));
    }

    [Theory]
    [InlineData("The model `gpt-4o-mini` does not exist or you do not have access to it.")]
    [InlineData("Rate limit reached for requests. Please try again in 20s.")]
    [InlineData("sk-short is fine")]
    [InlineData("ask-me-anything-about-llamas")]
    [InlineData("internationalization-and-localization-considerations")]
    public void Redact_OrdinaryText_Kept(string text)
    {
        Assert.Equal(text, SecretRedactor.Redact(text));
    }

    [Fact]
    public void Redact_LongText_TruncatedWithEllipsis()
    {
        var result = SecretRedactor.Redact(new string('a', 30) + " " + string.Concat(Enumerable.Repeat("word ", 200)), maxLength: 50);

        Assert.Equal(51, result.Length);
        Assert.EndsWith("…", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_ExactlyMaxLength_NotTruncated()
    {
        var text = new string('x', 20);

        Assert.Equal(text, SecretRedactor.Redact(text, maxLength: 20));
    }
}
