using System.Collections.Frozen;
using System.Reflection;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// First and last names for the PERSON detector (<c>Inspect/Privacy/Data</c>, rebuilt by
/// <c>eng/build-name-gazetteer.sh</c>; sources and licences in <c>Data/LICENSES.md</c>), plus the words that are
/// names but far more often something else (a sentence's first word, a month, a place). Lookups take spans
/// and ignore case; nothing allocates.
/// </summary>
public sealed class NameGazetteer
{
    private static readonly Lazy<NameGazetteer> _builtIn = new(LoadBuiltIn);

    // Words that are in the name lists but, capitalised, are usually not a person: sentence openers, pronouns,
    // calendar words, places and common nouns. A stop word still starts a name when a listed surname follows.
    private const string StopWords = """
        a about above after again against all also am an and another any anything are around as ask at away back be
        because been before being below best better between both but by can cannot could day days dear did do does
        doing done down during each either else enough even ever every few first for from further get gets given go
        going good great had has have having he hello her here hers herself hey hi him himself his hope how however
        i if in into is it its itself just keep last least less let like little long made make many may maybe me
        might mine more most much must my myself near never new next no nor not nothing now of off often old on once
        one only or other our ours out over own per perhaps please quite rather really right same see she should
        since so some soon still such sure take than thank thanks that the their theirs them then there these they
        this those though through thus to today together tomorrow too under until up upon us very was we well were
        what when where whether which while who whom whose why will with within without would yes yet you your yours
        monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
        september october november december spring summer autumn fall winter christmas easter today yesterday
        north south east west northern southern eastern western central new old big small great little high low
        street road avenue lane drive court place square park hill hall church city town state county river lake
        mount mountain island beach bay port fort saint st king queen prince princess lord lady sir madam god
        president doctor professor captain general major judge father mother brother sister son daughter baby
        mr mrs ms miss dr prof bill mark will rose grant young brown long white black green gray grey gold silver
        hunter page ray dawn hope faith joy grace love honey sunny star sky stone wood field golden royal
        art guy job worth chase sharp rich price cash page case note notes number name names phone email address
        date time year years month week hour minute money bank card account order total amount service company
        group team project product customer client user admin system data file files table list report
        america american europe european africa african asia asian australia canada china england france germany
        india ireland israel italy japan jordan kenya mexico russia spain sweden georgia chad victoria florence
        paris london berlin madrid rome sydney houston dallas denver austin phoenix charlotte jackson lincoln
        washington madison orlando chelsea camden regina york
        english french german spanish italian dutch british irish scottish welsh christian catholic jewish muslim
        google apple amazon microsoft windows linux android iphone python java
        jenkins jackson kafka hudson travis ruby julia rust swift dart pascal ada haskell perl django flask spring maven gradle ansible puppet
        chef docker helm jasmine karma mocha chai winston pino bunyan logback nlog polly moq carter marten dapper serilog hangfire cassandra redis mongo elastic kibana
        grafana jaeger sentry slack jira confluence vue angular ember express gatsby webpack babel jest cypress packer vagrant terraform vault
        consul nomad kotlin scala groovy elixir erlang crystal lua fortran cobol delphi lazarus nginx apache tomcat jetty lombok mockito gson
        porsche ferrari lamborghini maserati siemens bosch miele philips renault peugeot citroën michelin tesla ford dell disney boeing airbus
        kellogg nestlé milka lindt lidl aldi zara mango dacia kia hyundai toyota honda nissan mazda suzuki yamaha kawasaki volvo saab fender gibson
        leclerc carrefour auchan decathlon heineken carlsberg lavazza barilla ferrero nutella prada gucci armani versace chanel dior cartier
        bump merge revert refactor release upgrade downgrade pin drop deploy rollback
        rhein rhine elbe donau danube mosel moselle maas meuse schelde scheldt seine loire rhône garonne tajo tejo douro duero ebro arno tevere
        tiber thames severn wallis tessin tirol allgäu eifel harz provence bretagne normandie toscana umbria algarve minho veluwe brabant
        say tell give write make show list explain help find use add read send check create update delete remove
        summarise summarize translate describe answer reply call sort fix build run test compare review note
        box fax po oh ok cool wow wisdom shadow nation people standard station upper lower web weekly entertainment
        via rue calle avenida piazza strada ltd inc llc plc gmbh corp corporation company services research group
        united kingdom republic states islands island kingdom emirates union federation
        afghanistan albania algeria andorra angola argentina armenia austria azerbaijan bahamas bahrain bangladesh
        barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi
        cambodia cameroon chile colombia comoros congo costa rica croatia cuba cyprus czech czechia denmark djibouti
        dominica dominican ecuador egypt salvador el eritrea estonia eswatini ethiopia fiji finland gabon gambia
        ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland indonesia iran iraq jamaica
        kazakhstan kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein
        lithuania luxembourg macedonia madagascar malawi malaysia maldives mali malta marshall mauritania mauritius
        micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands
        zealand nicaragua niger nigeria norway oman pakistan palau palestine panama papua paraguay peru philippines
        poland portugal qatar romania rwanda samoa marino arabia senegal serbia seychelles sierra leone singapore
        slovakia slovenia solomon somalia sudan suriname switzerland syria taiwan tajikistan tanzania thailand togo
        tonga trinidad tobago tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu vatican
        venezuela vietnam yemen zambia zimbabwe greenland
        greek thai chinese japanese korean russian polish czech swedish danish norwegian finnish turkish arabic
        hindi portuguese brazilian mexican canadian african
        """;

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _first;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _last;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _stop;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _common;

    /// <param name="firstNames">Given names.</param>
    /// <param name="lastNames">Surnames.</param>
    /// <param name="commonWords">Names that are also everyday words in one of the languages (Data/common-words.txt): alone they need something to vouch for them.</param>
    public NameGazetteer(IEnumerable<string> firstNames, IEnumerable<string> lastNames, IEnumerable<string>? commonWords = null)
    {
        _common = (commonWords ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _first = firstNames.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _last = lastNames.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _stop = StopWords.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The gazetteer shipped in the product.</summary>
    public static NameGazetteer BuiltIn => _builtIn.Value;

    public bool IsFirstName(ReadOnlySpan<char> word) => _first.Contains(word);

    public bool IsLastName(ReadOnlySpan<char> word) => _last.Contains(word);

    /// <summary>A word that is usually not a name even when capitalised.</summary>
    public bool IsStopWord(ReadOnlySpan<char> word) => _stop.Contains(word);

    /// <summary>A name that is also an everyday word ("Costa", "Koch", "Bueno", "Post"): alone, it is no person unless something vouches for it.</summary>
    public bool IsCommonWord(ReadOnlySpan<char> word) => _common.Contains(word);

    private static NameGazetteer LoadBuiltIn() => new(ReadResource("first-names.txt"), ReadResource("last-names.txt"), ReadResource("common-words.txt"));

    private static List<string> ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Switchyard.Inspection.Privacy." + name)
            ?? throw new InvalidOperationException($"The embedded name list '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        var names = new List<string>(32_768);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                names.Add(line);
            }
        }

        return names;
    }
}
