using System.Text.Json;
using Switchyard.Core.Common;
using Xunit;

namespace Switchyard.Core.Tests.Common;

public sealed class JsonTextTests
{
    [Fact]
    public void Write_SuccessiveDocuments_EachHasOnlyItsOwnContent()
    {
        var first = JsonText.Write("a long first value that fills the buffer further than the second", static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("v"u8, s);
            w.WriteEndObject();
        });
        var second = JsonText.Write(7, static (w, n) =>
        {
            w.WriteStartArray();
            w.WriteNumberValue(n);
            w.WriteEndArray();
        });

        Assert.Equal("""{"v":"a long first value that fills the buffer further than the second"}""", first);
        Assert.Equal("[7]", second);
    }

    [Fact]
    public void Write_NestedCall_DoesNotCorruptTheOuterDocument()
    {
        var outer = JsonText.Write(3, static (w, n) =>
        {
            w.WriteStartObject();
            var inner = JsonText.Write(n, static (iw, m) => iw.WriteNumberValue(m * 2));
            w.WriteString("inner"u8, inner);
            w.WriteNumber("n"u8, n);
            w.WriteEndObject();
        });

        Assert.Equal("""{"inner":"6","n":3}""", outer);
    }

    [Fact]
    public void Write_AfterALargeDocument_SmallDocumentsStillCorrect()
    {
        var big = new string('x', 40_000);
        var large = JsonText.Write(big, static (w, s) => w.WriteStringValue(s));
        var small = JsonText.Write(true, static (w, b) => w.WriteBooleanValue(b));

        Assert.Equal(big, JsonSerializer.Deserialize<string>(large));
        Assert.Equal("true", small);
    }

    [Fact]
    public void Write_CallbackThrows_NextDocumentStartsClean()
    {
        Assert.Throws<InvalidOperationException>(() => JsonText.Write(0, static (w, _) =>
        {
            w.WriteStartArray();
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("{}", JsonText.Write(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }));
    }
}
