using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Xunit;

namespace Switchyard.Core.Tests.Privacy;

/// <summary>
/// Ordinary text that must not be flagged (issue 13, "PII-free prompts flagged ≤ 5 %"): numbers in brackets that
/// are no phones, places and brands that are also names. Each case was flagged before its fix.
/// </summary>
public sealed class PiiFreePromptTests
{
    private static List<(string Type, string Value)> Scan(string text)
    {
        var spans = new List<PiiSpan>();
        PrivacyScanner.Default.Scan(text, spans);
        return [.. spans.Select(s => (PiiTypeNames.Name(s.Type), text.Substring(s.Start, s.Length)))];
    }

    [Theory]
    [InlineData("- Checkout no longer times out after 87.641908s (06823020)")]
    [InlineData("- Checkout no longer times out after 17.577950s (2024021873119)")]
    [InlineData("## 2.6.5-rc.1 (2021-07-03)")]
    [InlineData("see ticket (0612345678) above")]
    public void Scan_NumberInBrackets_IsNoPhone(string text) => Assert.DoesNotContain(Scan(text), f => f.Type == "PHONE");

    [Theory]
    [InlineData("US 1 (415) 555-2671 today", "1 (415) 555-2671")]
    [InlineData("call (020) 7946 0958", "(020) 7946 0958")]
    public void Scan_AreaCodeInBrackets_IsStillAPhone(string text, string value) => Assert.Contains(("PHONE", value), Scan(text));

    [Theory]
    [InlineData("Luna llena en Lugo el 3/1/2026: ¿a qué hora sale?")]
    [InlineData("We flew Tallinn → Cork, stayed near Kent, booking 572-376-049.")]
    [InlineData("Plan a 3-day trip: Orlando → Preston → Lancaster, train preferred.")]
    [InlineData("Plan een reis: Purmerend -> Cairo -> Ede, liefst met de trein.")]
    [InlineData("Seit Release v1.27.15 bricht die Zahlung ab, betroffen Filialen Hannover und Hagen.")]
    [InlineData("Fischer, Jäger und Förster in Eifel: welche Genehmigungen brauchen die für Drohnen?")]
    [InlineData("| Region | Orders |\n|---|---|\n| Gelderland | 144,120 |\n| Kent | 1,528,047 |")]
    [InlineData("The design agency is based in Pelhrimov.")]
    public void Scan_PlaceThatIsAlsoAName_IsNoPerson(string text) => Assert.DoesNotContain(Scan(text), f => f.Type == "PERSON");

    [Theory]
    [InlineData("I met Hagen in the lobby yesterday.", "Hagen")]
    [InlineData("Dale and White were precision engineers.", "Dale")]
    [InlineData("Please call Maria Lugo in Madrid.", "Maria Lugo")]
    [InlineData("| Name | Orders |\n|---|---|\n| Preston | 12 |", "Preston")]
    [InlineData("The meeting is in Ede; Dr. Hagen chairs it.", "Dr. Hagen")]
    public void Scan_NameNearPlaceWords_IsStillAPerson(string text, string value) => Assert.Contains(("PERSON", value), Scan(text));

    [Theory]
    [InlineData("Empresa: Wallace Lda.\nNIF: 564710337")]
    [InlineData("Richter am Amtsgericht Hagen haben das Urteil vertagt.")]
    [InlineData("Het akkoord met Gemeente Ede en Stadtwerke Hagen is rond.")]
    [InlineData("Winston the logger or Pino for Node? We ship 141,497 lines a minute to Datadog.")]
    [InlineData("Ordered from Milka, order 684-255-477.")]
    public void Scan_CompanyCourtOrBrandNamedLikeAPerson_IsNoPerson(string text) => Assert.DoesNotContain(Scan(text), f => f.Type == "PERSON");

    [Theory]
    [InlineData("Maria ab Montag im Büro", "Maria")]
    [InlineData("Jane Rossi sl called at nine.", "Jane Rossi")]
    public void Scan_NameBeforeShortWords_IsStillAPerson(string text, string value) => Assert.Contains(("PERSON", value), Scan(text));
}
