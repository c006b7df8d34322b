using System.Text;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Xunit;

namespace Switchyard.Core.Tests.Privacy;

public sealed class PrivacyScannerTests
{
    private static List<(string Type, string Value)> Scan(string text, PrivacyScanner? scanner = null)
    {
        var spans = new List<PiiSpan>();
        (scanner ?? PrivacyScanner.Default).Scan(text, spans);
        return [.. spans.Select(s => (s.Type == PiiType.Custom ? (scanner ?? PrivacyScanner.Default).Custom[s.Custom].Name : PiiTypeNames.Name(s.Type), text.Substring(s.Start, s.Length)))];
    }

    private static void AssertFinds(string type, string value, string text) => Assert.Contains((type, value), Scan(text));

    private static void AssertNone(string type, string text) => Assert.DoesNotContain(Scan(text), f => f.Type == type);

    [Theory]
    [InlineData("write to jane.doe+news@example.co.uk today", "jane.doe+news@example.co.uk")]
    [InlineData("Email: ErikAckerman@armyspy.com.", "ErikAckerman@armyspy.com")]
    public void Scan_Email_Found(string text, string value) => AssertFinds("EMAIL", value, text);

    [Theory]
    [InlineData("decorators like @property and user@localhost")]
    [InlineData("an @ sign alone, or a@b.c")]
    public void Scan_EmailNearMiss_NotFound(string text) => AssertNone("EMAIL", text);

    [Theory]
    [InlineData("call +1-202-555-0143 now", "+1-202-555-0143")]
    [InlineData("US (415) 555-2671x123", "(415) 555-2671x123")]
    [InlineData("UK 020 7946 0958", "020 7946 0958")]
    [InlineData("UK mobile 07700 900123", "07700 900123")]
    [InlineData("DE 030 12345678", "030 12345678")]
    [InlineData("FR 01 23 45 67 89", "01 23 45 67 89")]
    [InlineData("NL 020 123 4567", "020 123 4567")]
    [InlineData("ES 612 345 678", "612 345 678")]
    [InlineData("IT 06 1234 5678", "06 1234 5678")]
    [InlineData("E.164 +4930123456", "+4930123456")]
    public void Scan_Phone_Found(string text, string value) => AssertFinds("PHONE", value, text);

    [Theory]
    [InlineData("between 2019-2020 we grew")]
    [InlineData("version 10.0.1 and 3.14")]
    [InlineData("it costs 1 000 dollars")]
    [InlineData("postal code 3610-114 in Porto")]
    public void Scan_PhoneNearMiss_NotFound(string text) => AssertNone("PHONE", text);

    [Theory]
    [InlineData("card 4111 1111 1111 1111 exp", "4111 1111 1111 1111")]
    [InlineData("card 5500-0000-0000-0004.", "5500-0000-0000-0004")]
    [InlineData("amex 3782 822463 10005", "3782 822463 10005")]
    [InlineData("pan 4929325827136822", "4929325827136822")]
    public void Scan_CardPassingLuhn_Found(string text, string value) => AssertFinds("CREDIT_CARD", value, text);

    [Theory]
    [InlineData("card 4111 1111 1111 1112 exp")]
    [InlineData("pan 4929325827136823")]
    public void Scan_CardFailingLuhn_NotFoundAsCardOrPhone(string text)
    {
        AssertNone("CREDIT_CARD", text);
        AssertNone("PHONE", text);
    }

    [Theory]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("pay DE89370400440532013000 now", "DE89370400440532013000")]
    [InlineData("to fr1420041010050500013m02606", "fr1420041010050500013m02606")]
    public void Scan_IbanWithValidChecksum_Found(string text, string value) => AssertFinds("IBAN", value, text);

    [Theory]
    [InlineData("IBAN GB83 WEST 1234 5698 7654 32")] // checksum off by one
    [InlineData("pay DE8937040044053201300")] // one digit short for DE
    [InlineData("code XX89370400440532013000")] // no such country
    public void Scan_IbanNearMiss_NotFound(string text) => AssertNone("IBAN", text);

    [Theory]
    [InlineData("SSN 078-05-1120.", "078-05-1120")]
    [InlineData("my social security number is 123456789", "123456789")]
    public void Scan_ValidSsn_Found(string text, string value) => AssertFinds("US_SSN", value, text);

    [Theory]
    [InlineData("SSN 000-12-3456")]
    [InlineData("SSN 666-12-3456")]
    [InlineData("SSN 912-12-3456")]
    [InlineData("SSN 123-00-4567")]
    [InlineData("SSN 123-45-0000")]
    public void Scan_SsnInvalidAreaGroupOrSerial_NotFound(string text) => AssertNone("US_SSN", text);

    [Theory]
    [InlineData("NI number AB123456C.", "AB123456C")]
    [InlineData("NI number AB 12 34 56 C.", "AB 12 34 56 C")]
    [InlineData("NI number AB 123456 C please", "AB 123456 C")]
    [InlineData("NINO: JG 10 37 52 B", "JG 10 37 52 B")]
    [InlineData("my national insurance is ab 12 34 56 c", "ab 12 34 56 c")]
    [InlineData("NI AB123456 C", "AB123456 C")]
    [InlineData("(NI: AB 12 34 56 D)", "AB 12 34 56 D")]
    public void Scan_UkNino_FoundUnspacedAndSpaced(string text, string value) => AssertFinds("UK_NINO", value, text);

    [Theory]
    [InlineData("NINO QQ 12 34 56 A")] // Q is never a first letter (QQ is HMRC's specimen prefix)
    [InlineData("NINO GB123456A")]
    [InlineData("NINO GB 12 34 56 A")]
    [InlineData("NINO AB123456E")]
    [InlineData("NINO AB 12 34 56 E")]
    [InlineData("NINO AB 12 34 5 C")]
    [InlineData("ref XAB 12 34 56 C")]
    public void Scan_UkNinoForbiddenPrefixSuffixOrShape_NotFound(string text) => AssertNone("UK_NINO", text);

    [Theory]
    [InlineData("host 192.168.10.254 is up", "192.168.10.254")]
    [InlineData("v6 2001:db8::8a2e:370:7334 here", "2001:db8::8a2e:370:7334")]
    [InlineData("v6 6e40:4041:c617:e898:c11:40d2:c669:2eb4.", "6e40:4041:c617:e898:c11:40d2:c669:2eb4")]
    public void Scan_IpAddress_Found(string text, string value) => AssertFinds("IP_ADDRESS", value, text);

    [Theory]
    [InlineData("octet 256.1.1.1 is not valid")]
    [InlineData("at 10:30:00 sharp")]
    public void Scan_IpNearMiss_NotFound(string text) => AssertNone("IP_ADDRESS", text);

    [Fact]
    public void Scan_DateNearBirthWord_IsDateOfBirth()
    {
        AssertFinds("DATE_OF_BIRTH", "5/10/1963", "She was born on 5/10/1963.");
        AssertFinds("DATE_OF_BIRTH", "1980-02-29", "DOB: 1980-02-29");
        AssertNone("DATE_OF_BIRTH", "The meeting is on 5/10/2026.");
    }

    [Theory]
    [InlineData("I was born on March 3rd, 1984 in Leeds.", "March 3rd, 1984")]
    [InlineData("DOB: 3 March 1984", "3 March 1984")]
    [InlineData("Date of birth: 12th of May 1990.", "12th of May 1990")]
    [InlineData("dob 31 dec 1999", "31 dec 1999")]
    [InlineData("She was born in Sept. 1975", "Sept. 1975")]
    [InlineData("born on May 1990", "May 1990")]
    [InlineData("Geboren am 3. März 1984 in Köln", "3. März 1984")]
    [InlineData("nacido el 3 de marzo de 1984", "3 de marzo de 1984")]
    [InlineData("Birthday: August 21, 2001", "August 21, 2001")]
    public void Scan_DateInWordsNearBirthWord_IsDateOfBirth(string text, string value) => AssertFinds("DATE_OF_BIRTH", value, text);

    [Theory]
    [InlineData("The release is on March 3rd, 2026.")]
    [InlineData("DOB: 32 March")]
    [InlineData("DOB: 3 Marchmont 1984")]
    [InlineData("born on March 3rd")]
    [InlineData("born in the 3rd of the month, 1984 was a good year")]
    [InlineData("DOB: 3 March 1850")]
    public void Scan_DateInWordsNearMiss_NoDateOfBirth(string text) => AssertNone("DATE_OF_BIRTH", text);

    [Fact]
    public void Scan_DateInWordsWithoutBirthWord_IsNeitherPhoneNorAddress()
    {
        Assert.Empty(Scan("Deadline: 15 March 2026, then 12th of May 2026."));
    }

    [Theory]
    [InlineData("ship to 221 Baker Street today", "221 Baker Street")]
    [InlineData("office at 12 Rue de Rivoli, Paris", "12 Rue de Rivoli")]
    [InlineData("Wohnung 5 Hauptstraße in Berlin", "5 Hauptstraße")]
    public void Scan_StreetAddress_Found(string text, string value) => AssertFinds("STREET_ADDRESS", value, text);

    [Theory]
    [InlineData("Dyan van Gijn\n\n864 Piazzetta Scalette Rubiani 104\n Apt. 905\n Serradarce\n\n Italy 75263", "864 Piazzetta Scalette Rubiani 104\n Apt. 905\n Serradarce\n\n Italy 75263")]
    [InlineData("Address:     81 1991 Dikbas Road\nTrancoso\n, GU\n 59797", "81 1991 Dikbas Road\nTrancoso\n, GU\n 59797")]
    [InlineData("I once lived in 4022 Oakridge Lane\nDallas TX 48486. Now", "4022 Oakridge Lane\nDallas TX 48486")]
    [InlineData("Allen had given Richard his address: 08 Via Zannoni 49, Tiarno Di Sopra", "08 Via Zannoni 49")]
    [InlineData("??? Hafþór Smárason\n??? 4923 Parmova 109\n??? Suite 380\n??? Maribor\n??? Slovenia 82709", "4923 Parmova 109\n??? Suite 380\n??? Maribor\n??? Slovenia 82709")]
    [InlineData("Tilly Nicholson lives at 10252 Μεγάλη Άμμος 184, ΠΑΦΟΣ", "10252 Μεγάλη Άμμος 184")]
    [InlineData("The bus drops you off at 9383 ul. Chrzanowska 61 St.", "9383 ul. Chrzanowska 61")]
    [InlineData("Pedestrians must enter on Erzsébet tér 92. St. the first three months", "Erzsébet tér 92")]
    [InlineData("Anthony had given Aija his address: Camiño Ancho 91", "Camiño Ancho 91")]
    [InlineData("Name: Stephanie Talon Address: the corner of Gumpendorfer Strasse 44 and Bašić Street", "Gumpendorfer Strasse 44")]
    [InlineData("these early shows on Ane Flats Street were important", "Ane Flats Street")]
    [InlineData("The Kpmg office is at Magasinsgatan 7", "Magasinsgatan 7")]
    [InlineData("Brian Adomo\n\n51 24 Clarke Avenue\n Apt. 306\n Pines Beach\n Costa Rica 85226\n(027) 7972-805", "51 24 Clarke Avenue\n Apt. 306\n Pines Beach\n Costa Rica 85226")]
    [InlineData("Mrs. Karen Thorkildsen Suite 680 36 4022 Oakridge Lane\nDallas TX 48486", "Suite 680 36 4022 Oakridge Lane\nDallas TX 48486")]
    [InlineData("The letter arrived at Unit 5906 Box 6078\nDPO AP 49101 last night.", "Unit 5906 Box 6078\nDPO AP 49101")]
    [InlineData("Nicole Querry PSC 7004, Box 8380\nAPO AP 11949", "PSC 7004, Box 8380\nAPO AP 11949")]
    [InlineData("How do I change my address to USCGC Wiśniewski\nFPO AA 57077 for post mail?", "USCGC Wiśniewski\nFPO AA 57077")]
    [InlineData("Please update the billing address with Merle and P.O. Box 255 for this card", "P.O. Box 255")]
    [InlineData("??? warren khadzhiyev ??? 46 via raffaele conforti 74 ??? apt. 239 ??? bisegna ??? saudi arabia 65001", "46 via raffaele conforti 74 ??? apt. 239 ??? bisegna ??? saudi arabia 65001")]
    [InlineData("alexandra fowler  58 kvaløyvågvegen 140  suite 763  kvaløysletta   mexico 52199", "58 kvaløyvågvegen 140  suite 763  kvaløysletta   mexico 52199")]
    [InlineData("My zip code is 15341", "15341")]
    public void Scan_InternationalAndMultiLineAddress_FoundWithUnitTownAndPostcode(string text, string value) => AssertFinds("STREET_ADDRESS", value, text);

    [Theory]
    [InlineData("Top 10 Movies 2020, ranked")]
    [InlineData("We met on March 5 and again on Friday 13")]
    [InlineData("Read Chapter 5 before installing Windows 10")]
    [InlineData("In 2019 Apple sold 300 phones")]
    [InlineData("He put it at #1 and then at #15.")]
    [InlineData("we went to the new place in 2019 and paid 300 dollars")]
    [InlineData("Total 12 EUR 4316 4406 7816 1760. Monday")]
    [InlineData("call me at 020 7946 0958 tomorrow")]
    [InlineData("The meeting is at Room 4 on Level 2")]
    public void Scan_NumbersAndCapitalisedWordsThatAreNoAddress_NoStreetAddress(string text) => AssertNone("STREET_ADDRESS", text);

    [Fact]
    public void Scan_AddressTail_StopsWithoutAPostcodeUnitOrStateAfterTheTown()
    {
        // Town-like words after a street count only when a postcode, unit or state code follows them.
        Assert.Equal([("STREET_ADDRESS", "221 Baker Street"), ("PERSON", "Bob")], Scan("Ship to 221 Baker Street\nThanks, Bob"));

        // A card after the street line is still a card, not the end of the address.
        Assert.Contains(("CREDIT_CARD", "4111 1111 1111 1111"), Scan("ship to 12 Baker Street, London 4111 1111 1111 1111"));
    }

    [Fact]
    public void Scan_UnitNumberShapedLikeAnSsn_IsAnAddressNotAnSsn()
    {
        var found = Scan("Mrs. Karen Thorkildsen Suite 680 36 4022 Oakridge Lane");
        Assert.DoesNotContain(found, f => f.Type == "US_SSN");
        Assert.Contains(("STREET_ADDRESS", "Suite 680 36 4022 Oakridge Lane"), found);
    }

    [Theory]
    [InlineData("Hello, this is Mr. Derek Crnić. Who are you?", "Mr. Derek Crnić")]
    [InlineData("Please ask Katie Giles for the file.", "Katie Giles")]
    [InlineData("My name is Rubija", "Rubija")]
    [InlineData("i want to add julie novák as a beneficiary", "julie novák")]
    public void Scan_Person_Found(string text, string value) => AssertFinds("PERSON", value, text);

    [Theory]
    [InlineData("May I ask a question about Will and testament law?")]
    [InlineData("The Czech Republic borders Austria and Poland.")]
    [InlineData("We visited San Luis and New York last summer.")]
    [InlineData("Smith Ltd is a supplier.")]
    public void Scan_CapitalisedNonNames_NoPerson(string text) => AssertNone("PERSON", text);

    [Theory]
    [InlineData("Mohmad R. Vizirov will be talking in the conference", "Mohmad R. Vizirov")]
    [InlineData("Miss Gabriella Villanueva Suite 574 34 Sireli 74 Tartu TA 56325", "Miss Gabriella Villanueva")]
    [InlineData("I would like to remove my kid Tadzio from the will.", "Tadzio")]
    [InlineData("\"I'm glad to hear that,\" says Izumi.", "Izumi")]
    [InlineData("SKY is the brainchild of our 3 founders: Leehy, Perkins and Copeland.", "Leehy")]
    [InlineData("Is there a better crafted pop song? Perić and Rodriguez were precision engineers.", "Perić")]
    [InlineData("they had 6: leonti, terrence, pamela, donna, andrea and brian.", "andrea")]
    [InlineData("luis: \"who are you?\" carol:\"i'm lindsay's daughter\".", "carol")]
    public void Scan_PersonByContext_Found(string text, string value) => AssertFinds("PERSON", value, text);

    [Theory]
    [InlineData("See Part B. Summary for the details.")]
    [InlineData("Read Section A. Overview first.")]
    [InlineData("You said your email is KarpFedorov@rhyta.com. Is that correct?")]
    [InlineData("we need apples, pears and bananas")]
    [InlineData("summary: the build failed")]
    public void Scan_PersonContextNearMiss_NoPerson(string text) => AssertNone("PERSON", text);

    [Theory]
    [InlineData("key sk-", "proj-Ab3dEf6hIj9kLm2nOp5q")]
    [InlineData("AWS ", "AKIA" + "IOSFODNN7EXAMPLE")]
    [InlineData("token ", "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")]
    [InlineData("slack ", "xoxb-" + "1234567890-abcdefghijkl")]
    [InlineData("random ", "Zq8vN2xL5pR7tY1wK4mB9cH3")]
    public void Scan_Secret_Found(string prefix, string rest)
    {
        // Key-shaped literals are assembled so secret scanners do not flag the test source.
        var parts = prefix.EndsWith('-') ? (prefix.Split(' ')[0] + " ", prefix.Split(' ')[1] + rest) : (prefix, rest);
        AssertFinds("SECRET", parts.Item2, parts.Item1 + parts.Item2 + " end");
    }

    [Fact]
    public void Scan_PrivateKeyBlock_IsOneSecret()
    {
        var block = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----";
        AssertFinds("SECRET", block, "here: " + block + " thanks");
    }

    [Theory]
    [InlineData("commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it")]
    [InlineData("id 123e4567-e89b-12d3-a456-426614174000")]
    public void Scan_HexDigestsAndUuids_NotSecrets(string text) => AssertNone("SECRET", text);

    [Fact]
    public void Scan_CustomPatternAndKeywords_ReportedUnderTheirNames()
    {
        var scanner = new PrivacyScanner(NameGazetteer.BuiltIn,
        [
            CustomDetector.Pattern("TICKET", @"\bOPS-\d{4}\b", DataClass.Internal),
            CustomDetector.Keywords("PROJECT", ["falcon", "Blue Heron"], DataClass.Restricted),
        ]);

        var found = Scan("Project FALCON is tracked in OPS-1234, not falconry.", scanner);

        Assert.Contains(("PROJECT", "FALCON"), found);
        Assert.Contains(("TICKET", "OPS-1234"), found);
        Assert.DoesNotContain(("PROJECT", "falcon"), found);
    }

    [Fact]
    public void Scan_RandomText_NeverThrowsAndSpansStayInOrderInsideTheText()
    {
        var random = new Random(7);
        const string alphabet = "0123456789 -./()+@:_xABCDEFGabcdefÖé\n'";
        var spans = new List<PiiSpan>();
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }

            spans.Clear();
            PrivacyScanner.Default.Scan(chars, spans);
            var end = 0;
            foreach (var span in spans)
            {
                Assert.True(span.Start >= end && span.Length > 0 && span.End <= chars.Length);
                end = span.End;
            }
        }
    }

    [Fact]
    public void Luhn_KnownNumbers()
    {
        Assert.True(PiiValidators.Luhn("4111111111111111"));
        Assert.False(PiiValidators.Luhn("4111111111111112"));
    }
}
