using System.Globalization;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>A person of a generated row: the parts a template may mention.</summary>
public sealed record HardSetPerson(string First, string Last)
{
    public string Full => $"{First} {Last}";
}

/// <summary>
/// Names (Faker's lists of each country, rarer US census surnames the shipped gazetteer leaves out, and a list of
/// names from further afield), and the capitalised words that are no names: towns, regions, brands, software,
/// code identifiers, street names. Every list is cut in two by a stable hash of each entry: dev rows draw from one
/// part and holdout rows from the other, so holdout scores measure names and words the tuning never saw.
/// </summary>
public sealed class HardSetVocabulary
{
    private static readonly Dictionary<string, string[]> _locales = new(StringComparer.Ordinal)
    {
        ["en"] = ["en", "en_AU", "en_ZA"],
        ["de"] = ["de", "de_AT", "de_CH"],
        ["fr"] = ["fr", "fr_BE", "fr_CH"],
        ["es"] = ["es", "es_MX"],
        ["it"] = ["it"],
        ["nl"] = ["nl", "nl_BE"],
        ["pt"] = ["pt_PT", "pt_BR"],
        ["far"] = ["tr", "pl", "ro", "hr", "sr_RS_latin", "cs_CZ", "vi", "en_IN", "en_NG", "yo_NG", "id_ID", "hu", "fi", "sv", "lv"],
    };

    // Given names from communities living in Europe that name lists built from European and US sources often lack.
    private const string FarFirst = """
        Oluwaseun Chiamaka Adebayo Ngozi Tendai Kwabena Abena Yaw Folake Emeka Nnamdi Chidi Amara Ifeoma Tunde Zainab Aaliyah
        Mohammed Ahmad Yousef Khaled Samir Rania Layla Noor Fatima Aisha Omar Tariq Hamza Bilal Imran Farid Karim Nadia Yasmin
        Priya Ananya Aarav Vihaan Ishaan Rohan Sanjay Deepika Lakshmi Aditi Kavya Arjun Rahul Siddharth Meera Nikhil Pooja
        Wei Jing Xiaoming Haruto Yuki Sakura Minh Thanh Linh Quang Huong Anh Sione Malia Kofi Afua Dawit Selam Yonas Mekdes
        Oksana Bohdan Taras Olena Dmytro Mykola Svitlana Iryna Vasyl Halyna Agnieszka Grzegorz Małgorzata Wojciech Przemysław
        """;

    private const string Cities = """
        en: Manchester|Leeds|Bristol|Sheffield|Nottingham|Leicester|Coventry|Bradford|Cardiff|Swansea|Belfast|Glasgow|Edinburgh|Aberdeen|Dundee|Inverness|Oxford|Cambridge|Brighton|Southampton|Portsmouth|Plymouth|Exeter|Norwich|Ipswich|York|Chester|Lancaster|Preston|Reading|Luton|Derby|Durham|Lincoln|Bath|Wells|Boston|Chicago|Seattle|Portland|Atlanta|Denver|Phoenix|Houston|Dallas|Austin|Nashville|Memphis|Richmond|Cleveland|Detroit|Madison|Jackson|Charlotte|Savannah|Orlando|Tampa|Raleigh|Columbus|Milwaukee|Dublin|Cork|Galway|Limerick|Toronto|Vancouver|Sydney|Melbourne|Brisbane|Perth|Adelaide|Auckland
        de: Hamburg|München|Köln|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dortmund|Essen|Bremen|Dresden|Hannover|Nürnberg|Duisburg|Bochum|Wuppertal|Bielefeld|Bonn|Münster|Mannheim|Karlsruhe|Augsburg|Wiesbaden|Aachen|Braunschweig|Kiel|Chemnitz|Halle|Magdeburg|Freiburg|Krefeld|Mainz|Lübeck|Erfurt|Rostock|Kassel|Hagen|Potsdam|Saarbrücken|Oldenburg|Osnabrück|Darmstadt|Heidelberg|Regensburg|Paderborn|Ingolstadt|Würzburg|Ulm|Heilbronn|Wolfsburg|Göttingen|Koblenz|Jena|Trier|Siegen|Wien|Graz|Linz|Salzburg|Innsbruck|Klagenfurt|Zürich|Basel|Bern|Luzern|Lausanne|Winterthur|Konstanz|Passau|Bamberg|Bayreuth|Landshut|Marburg|Gießen|Fulda
        fr: Lyon|Marseille|Toulouse|Nice|Nantes|Strasbourg|Montpellier|Bordeaux|Lille|Rennes|Reims|Toulon|Grenoble|Dijon|Angers|Nîmes|Villeurbanne|Clermont-Ferrand|Aix-en-Provence|Brest|Tours|Amiens|Limoges|Annecy|Perpignan|Metz|Besançon|Orléans|Rouen|Mulhouse|Caen|Nancy|Avignon|Poitiers|Versailles|Pau|Calais|Cannes|Antibes|Colmar|Bayonne|Valence|Chambéry|Lorient|Quimper|Vannes|Bruxelles|Liège|Namur|Charleroi|Mons|Genève|Lausanne|Neuchâtel|Fribourg|Sion|Luxembourg
        es: Madrid|Barcelona|Valencia|Sevilla|Zaragoza|Málaga|Murcia|Palma|Bilbao|Alicante|Córdoba|Valladolid|Vigo|Gijón|Granada|Elche|Oviedo|Badalona|Cartagena|Terrassa|Jerez|Sabadell|Móstoles|Almería|Santander|Burgos|Castellón|Albacete|Getafe|Salamanca|Logroño|Huelva|Marbella|León|Tarragona|Cádiz|Lleida|Jaén|Ourense|Girona|Lugo|Cáceres|Toledo|Pamplona|Segovia|Ávila|Cuenca|Soria|Teruel|Monterrey|Guadalajara|Puebla|Mérida|Tijuana|Querétaro
        it: Roma|Milano|Napoli|Torino|Palermo|Genova|Bologna|Firenze|Bari|Catania|Venezia|Verona|Messina|Padova|Trieste|Brescia|Parma|Taranto|Prato|Modena|Reggio|Perugia|Livorno|Ravenna|Cagliari|Foggia|Rimini|Salerno|Ferrara|Sassari|Latina|Monza|Siracusa|Pescara|Bergamo|Vicenza|Trento|Bolzano|Novara|Piacenza|Ancona|Udine|Arezzo|Lecce|Pesaro|Como|Lucca|Pisa|Siena|Cremona|Mantova|Asti|Cuneo|Matera|Lugano|Bellinzona
        nl: Amsterdam|Rotterdam|Utrecht|Eindhoven|Groningen|Tilburg|Almere|Breda|Nijmegen|Apeldoorn|Haarlem|Arnhem|Enschede|Amersfoort|Zaanstad|Zwolle|Zoetermeer|Leiden|Maastricht|Dordrecht|Ede|Alphen|Leeuwarden|Alkmaar|Emmen|Delft|Venlo|Deventer|Helmond|Hilversum|Heerlen|Oss|Roosendaal|Purmerend|Schiedam|Lelystad|Gouda|Hoorn|Vlaardingen|Assen|Antwerpen|Gent|Brugge|Leuven|Mechelen|Aalst|Hasselt|Kortrijk|Oostende|Genk
        pt: Lisboa|Porto|Braga|Coimbra|Funchal|Setúbal|Aveiro|Évora|Faro|Viseu|Leiria|Guimarães|Amadora|Almada|Cascais|Sintra|Matosinhos|Gondomar|Barreiro|Odivelas|Portimão|Tavira|Lagos|Beja|Bragança|Chaves|Covilhã|Guarda|Santarém|Tomar|Viana|Nazaré|Óbidos|Fátima|Sesimbra|São Paulo|Rio|Salvador|Fortaleza|Recife|Curitiba|Manaus|Belém|Goiânia|Campinas|Natal|Florianópolis|Vitória
        world: Paris|Berlin|London|Madrid|Rome|Vienna|Prague|Warsaw|Budapest|Athens|Istanbul|Copenhagen|Stockholm|Oslo|Helsinki|Tallinn|Riga|Vilnius|Kraków|Bratislava|Ljubljana|Zagreb|Belgrade|Sofia|Bucharest|Kyiv|Tokyo|Osaka|Seoul|Beijing|Shanghai|Singapore|Mumbai|Delhi|Bangalore|Dubai|Cairo|Lagos|Nairobi|Casablanca|Tunis|Montreal|Quebec|Buenos Aires|Santiago|Lima|Bogotá|Caracas|Havana|Mexico|Florence|Milan|Naples|Venice|Turin|Geneva|Brussels|Lisbon|Seville|Munich|Cologne|Hanover|Nuremberg|Antwerp|Ghent|Bruges|The Hague
        """;

    private const string Regions = """
        Bayern Sachsen Hessen Thüringen Brandenburg Westfalen Schwarzwald Allgäu Eifel Harz Rhein Mosel Elbe Donau Bodensee Tirol Kärnten Steiermark Wallis Tessin
        Bretagne Normandie Provence Alsace Occitanie Bourgogne Savoie Ardèche Dordogne Corse Loire Seine Garonne Rhône Wallonie Flandre
        Andalucía Cataluña Galicia Asturias Cantabria Navarra Aragón Extremadura Murcia Canarias Baleares Rioja Ebro Tajo Duero
        Toscana Lombardia Piemonte Veneto Liguria Sicilia Sardegna Puglia Calabria Campania Umbria Marche Abruzzo Trentino Friuli Po Arno Tevere
        Limburg Brabant Zeeland Friesland Drenthe Overijssel Gelderland Veluwe Texel Maas Schelde
        Algarve Alentejo Minho Douro Madeira Açores Ribatejo Beira Trás-os-Montes
        Yorkshire Cornwall Devon Kent Sussex Surrey Essex Norfolk Suffolk Somerset Dorset Cumbria Highlands Wales Scotland Ulster Texas Ohio Oregon Nevada Vermont Montana Dakota
        """;

    private const string Brands = """
        Porsche Ferrari Lamborghini Maserati Bugatti Siemens Bosch Miele Philips Renault Peugeot Citroën Michelin Zara Mango Nutella Ferrero Barilla Lavazza Heineken
        Carlsberg Tesla Ford Dell Disney Boeing Airbus Kellogg Nestlé Lidl Aldi Rossmann Douglas Zalando Otto Tchibo Vodafone Orange Movistar Telekom Benetton Prada
        Gucci Armani Versace Fendi Bulgari Hermès Chanel Dior Cartier Rolex Omega Swatch Lindt Milka Haribo Dacia Škoda Seat Opel Audi Fiat Lancia Alfa Ducati Vespa
        Decathlon Carrefour Auchan Leclerc Intermarché Mercadona Eroski Esselunga Conad Albert Jumbo Hema Blokker Continente Pingo Worten Fnac Darty Mediamarkt Saturn
        Wallace Marshall Fender Gibson Yamaha Kawasaki Suzuki Honda Hyundai Kia Nissan Mazda Lexus Volvo Saab Ikea Lego Nokia Ericsson Spotify Klarna Adyen Booking
        """;

    private const string Tools = """
        Jenkins Kafka Hudson Travis Ruby Julia Rust Swift Dart Pascal Ada Luigi Cassandra Ray Winston Jasmine Karma Mocha Chai Polly Marten Carter Dapper Serilog
        Hangfire Refit Bogus Humanizer Moq Jackson Gson Moshi Lombok Mockito Spring Hibernate Maven Gradle Tomcat Jetty Quarkus Micronaut Camel Flask Django Celery
        Pandas Dask Sphinx Pytest Poetry Angular React Vue Svelte Ember Express Nest Next Nuxt Remix Astro Gatsby Webpack Vite Babel Jest Vitest Cypress Puppeteer
        Playwright Prisma Sequelize Mongoose Terraform Ansible Puppet Chef Salt Vagrant Packer Consul Vault Nomad Docker Podman Kubernetes Helm Istio Envoy Linkerd
        Traefik Nginx Caddy Prometheus Grafana Loki Tempo Jaeger Zipkin Kibana Logstash Fluentd Splunk Datadog Sentry Redis Postgres Mongo Elastic Solr Spark Flink
        Airflow Dagster Prefect Keras Torch Jupyter Conda Homebrew Crystal Elixir Erlang Kotlin Scala Groovy Clojure Haskell Perl Lua Fortran Cobol Delphi Lazarus
        Apache Harbor Argo Flux Tekton Spinnaker Drone Bamboo Confluence Jira Trello Asana Notion Slack Teams Zoom Outlook Chrome Firefox Safari Edge Opera Brave
        Vivaldi Ubuntu Debian Fedora Alpine Mint Kali Windows Android Gerrit Gitea Forgejo Sonar Nexus Artifactory Keycloak Vaultwarden Nextcloud Odoo Magento Shopify
        """;

    private const string Streets = """
        de: Haupt|Bahnhof|Garten|Schul|Berg|Kirch|Wald|Ring|Linden|Birken|Eichen|Goethe|Schiller|Mozart|Beethoven|Park|Wiesen|Rosen|Tannen|Mühlen|Feld|Markt|Ahorn|Brunnen|Friedhof|Industrie|Sonnen|Buchen|Kastanien|Ulmen
        fr: la Paix|Victor Hugo|la République|Jean Jaurès|Pasteur|la Gare|l'Église|Gambetta|Voltaire|Émile Zola|la Liberté|du Moulin|des Écoles|Carnot|Foch|du Général de Gaulle|Saint-Michel|des Lilas|du Château|Paul Bert
        es: Mayor|Real|Nueva|del Sol|de la Paz|Gran Vía|San Juan|Alcalá|Serrano|Princesa|Goya|Cervantes|del Carmen|de Colón|de Castilla|de la Constitución|del Mar|de Andalucía|Santa Ana|de Triana
        it: Roma|Garibaldi|Mazzini|Dante|Cavour|Verdi|Vittorio Emanuele|Marconi|Matteotti|della Repubblica|XX Settembre|Manzoni|Colombo|dei Mille|Leopardi|San Francesco|del Corso|Nazionale|Carducci|Gramsci
        nl: Kerk|Dorps|School|Molen|Stations|Wilhelmina|Julianalaan|Beatrix|Oranje|Markt|Nieuwe|Hoofd|Prinsen|Keizers|Heren|Linden|Eiken|Berken|Parallel|Industrie
        pt: Augusta|da Liberdade|do Carmo|de Santa Catarina|da Prata|do Ouro|dos Aliados|da Boavista|de Cedofeita|Almirante Reis|da República|de Camões|do Comércio|Garrett|Miguel Bombarda|das Flores|Sá da Bandeira|Costa Cabral|de Ceuta|Fernão de Magalhães
        en: High|Station|Church|Victoria|Green|Manor|Park|Queen|King|Albert|Mill|Elm|Oak|Maple|Cedar|Pine|Washington|Lincoln|Jefferson|Madison
        """;

    private readonly Dictionary<(string Lang, bool Holdout), (string[] First, string[] Last)> _names = [];
    private readonly string[][] _censusTail = new string[2][];
    private readonly Dictionary<(string Key, bool Holdout), string[]> _lists = [];

    public HardSetVocabulary(string gazetteerDirectory)
    {
        var first = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var last = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(gazetteerDirectory, "faker_names_by_locale.csv")).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length != 3 || !IsNameWord(parts[2]))
            {
                continue;
            }

            var lang = _locales.FirstOrDefault(l => l.Value.Contains(parts[0])).Key;
            if (lang is null)
            {
                continue;
            }

            var target = parts[1] == "first" ? first : last;
            if (!target.TryGetValue(lang, out var list))
            {
                target[lang] = list = [];
            }

            list.Add(parts[2]);
        }

        foreach (var lang in _locales.Keys)
        {
            var firsts = lang == "far" ? first[lang].Concat(Words(FarFirst)) : first[lang];
            foreach (var holdout in (bool[])[false, true])
            {
                _names[(lang, holdout)] = ([.. Part(firsts.Distinct(StringComparer.Ordinal), holdout)], [.. Part(last[lang].Distinct(StringComparer.Ordinal), holdout)]);
            }
        }

        // Real US surnames ranked 20,001 and beyond: the shipped gazetteer keeps the first 20,000.
        var tail = File.ReadLines(Path.Combine(gazetteerDirectory, "census1990_last.csv")).Skip(20_001).Take(30_000)
            .Select(l => l.Split(',')[0]).Where(n => n.Length >= 4).Select(n => n[0] + n[1..].ToLowerInvariant());
        _censusTail[0] = [.. Part(tail, holdout: false)];
        _censusTail[1] = [.. Part(tail, holdout: true)];

        Add("city", Cities);
        foreach (var (key, text) in (ReadOnlySpan<(string, string)>)[("region", Regions), ("brand", Brands), ("tool", Tools)])
        {
            foreach (var holdout in (bool[])[false, true])
            {
                _lists[(key, holdout)] = [.. Part(Words(text), holdout)];
            }
        }

        Add("street", Streets);
    }

    private void Add(string key, string byLanguage)
    {
        foreach (var line in byLanguage.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var entries = line[(colon + 1)..].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var holdout in (bool[])[false, true])
            {
                _lists[($"{key}:{line[..colon]}", holdout)] = [.. Part(entries, holdout)];
            }
        }
    }

    private static string[] Words(string text) => text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>About 30 % of entries go to the holdout part, by a stable hash of the entry.</summary>
    public static IEnumerable<string> Part(IEnumerable<string> entries, bool holdout) =>
        entries.Where(e => (HardSetRandom.StableHash(e) % 10 < 3) == holdout).Order(StringComparer.Ordinal);

    private static bool IsNameWord(string name) => name.Length >= 2 && name.All(c => char.IsLetter(c) || c is '\'' or '-') && char.IsUpper(name[0]);

    /// <summary>A person of <paramref name="lang"/>'s country, now and then one from further afield or with a rarer surname.</summary>
    public HardSetPerson Person(HardSetRandom r, string lang, bool holdout)
    {
        var home = _names[(lang, holdout)];
        var far = _names[("far", holdout)];
        var first = r.Chance(0.82) ? r.Pick(home.First) : r.Pick(far.First);
        var roll = r.Next(100);
        var last = roll < 68 ? r.Pick(home.Last) : roll < 80 ? r.Pick(far.Last) : r.Pick(_censusTail[holdout ? 1 : 0]);
        if (lang is "es" or "pt" && r.Chance(0.45))
        {
            last = $"{last} {r.Pick(home.Last)}";
        }
        else if (lang == "nl" && r.Chance(0.35))
        {
            last = $"{r.Pick(["van", "de", "van der", "van den", "van de", "ter"])} {last}";
        }
        else if (lang is "fr" or "de" && r.Chance(0.12))
        {
            first = $"{first}-{r.Pick(home.First)}";
        }

        return new HardSetPerson(first, last);
    }

    public string Pick(HardSetRandom r, string key, bool holdout) => r.Pick(_lists[(key, holdout)]);

    /// <summary>A town of the row's country most of the time, else one anywhere.</summary>
    public string City(HardSetRandom r, string lang, bool holdout) => Pick(r, r.Chance(0.75) ? $"city:{lang}" : "city:world", holdout);

    public string Street(HardSetRandom r, string lang, bool holdout) => Pick(r, $"street:{lang}", holdout);

    public static string Title(string lang, HardSetRandom r) => lang switch
    {
        "de" => r.Pick(["Herr", "Frau", "Dr.", "Herrn"]),
        "fr" => r.Pick(["M.", "Mme", "Madame", "Monsieur"]),
        "es" => r.Pick(["Sr.", "Sra.", "D.", "Dña."]),
        "it" => r.Pick(["Sig.", "Sig.ra", "Dott.", "Dott.ssa"]),
        "nl" => r.Pick(["dhr.", "mevr.", "Dhr.", "Mevr."]),
        "pt" => r.Pick(["Sr.", "Sra.", "Dr.", "Dra."]),
        _ => r.Pick(["Mr", "Mrs", "Ms", "Dr", "Mr.", "Ms."]),
    };

    public static string Year(HardSetRandom r) => r.Next(1945, 2006).ToString(CultureInfo.InvariantCulture);
}
