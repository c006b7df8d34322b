using System.Security.Cryptography;
using Switchyard.Providers.Bedrock;
using Xunit;

namespace Switchyard.Providers.Tests.Bedrock;

/// <summary>
/// The signer against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite: key AKIDEXAMPLE, date
/// 20150830T123600Z, region us-east-1, service "service"): each expected signature is AWS's own.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials _suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly string _emptyHash = Convert.ToHexStringLower(SHA256.HashData([]));

    private const string SessionToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private static string Sign(string method, string query, params (string Name, string Value)[] extra)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z") };
        headers.AddRange(extra.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
        return SigV4Signer.Authorization(method, "/", query, headers, _emptyHash, _suite, "us-east-1", "service", "20150830T123600Z");
    }

    [Theory]
    [InlineData("get-vanilla", "GET", "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "Param2=value2&Param1=value1", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("post-vanilla", "POST", "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    public void Authorization_AwsTestSuite_PublishedSignature(string vector, string method, string query, string signedHeaders, string signature)
    {
        var authorization = Sign(method, query);

        Assert.True(
            authorization == $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            $"{vector}: {authorization}");
    }

    [Fact]
    public void Authorization_GetHeaderValueTrim_ValuesTrimmedAndSpacesFolded()
    {
        Assert.EndsWith(
            "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            Sign("GET", "", ("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")), StringComparison.Ordinal);
    }

    [Fact]
    public void Authorization_PostStsHeaderBefore_SessionTokenSigned()
    {
        Assert.EndsWith(
            "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            Sign("POST", "", ("X-Amz-Security-Token", SessionToken)), StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalPath_EncodedModelId_EncodedOnceMore()
    {
        // Bedrock model ids hold ':' (sent as %3A) and ARNs '/' (sent as %2F): every service but S3 encodes the path again.
        Assert.Equal("/model/anthropic.claude-3-5-haiku-20241022-v1%253A0/converse", SigV4Signer.CanonicalPath("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"));
        Assert.Equal("/", SigV4Signer.CanonicalPath(""));
    }

    [Fact]
    public void Sign_Request_SetsDateTokenAndAuthorizationOverTheBody()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://bedrock-runtime.eu-central-1.amazonaws.com/model/m%3A0/converse");
        var credentials = new AwsCredentials("ASIAEXAMPLE", "wJalrXUtnFEMI-example-key", "token-1");

        SigV4Signer.Sign(message, "{}"u8, credentials, "eu-central-1", "bedrock", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal("20260102T030405Z", message.Headers.GetValues("x-amz-date").Single());
        Assert.Equal("token-1", message.Headers.GetValues("x-amz-security-token").Single());
        var authorization = message.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260102/eu-central-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalr", credentials.ToString(), StringComparison.Ordinal);
    }
}
