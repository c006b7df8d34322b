namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Code, logs, JSON, YAML, SQL, CSV, stack traces, git logs and release notes, mostly English, some with comments in other languages.</summary>
public static class TechTemplates
{
    private static HardSetTemplate T(string genre, string text, string lang = "en") => new(lang, genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("log", "Why does this fail?\n\n⟦TIMESTAMP⟧ ERROR PaymentService - charge failed card=⟦CARDX⟧ amount=⟦INT⟧.00 currency=EUR attempt=2 trace=⟦HASH⟧\n⟦TIMESTAMP⟧ WARN  RetryPolicy - giving up after ⟦DURATION⟧"),
        T("log", "⟦TIMESTAMP⟧ INFO  auth - login ok user=⟦EMAIL⟧ ip=⟦IP⟧ ua=\"Mozilla/5.0\" session=⟦HASH⟧\n⟦TIMESTAMP⟧ INFO  auth - mfa sms sent to ⟦PHONE⟧\nexplain what happened here"),
        T("json", "Validate this payload against our schema:\n\n{\n  \"customer\": {\n    \"name\": \"⟦NAME⟧\",\n    \"email\": \"⟦EMAIL⟧\",\n    \"phone\": \"⟦PHONE⟧\"\n  },\n  \"payment\": { \"iban\": \"⟦IBANX⟧\", \"amount\": ⟦INT⟧.50, \"mandate\": \"⟦REF⟧\" },\n  \"order_id\": \"⟦ORDER⟧\",\n  \"created_at\": \"⟦TIMESTAMP⟧\"\n}"),
        T("json", "Why is the card rejected?\n{\"pan\": \"⟦CARD1⟧\", \"exp_month\": ⟦INT⟧, \"exp_year\": 2027, \"cardholder\": \"⟦NAME⟧\", \"request_id\": \"⟦HASH⟧\", \"amount_cents\": ⟦INT⟧00}"),
        T("json", "[{\"id\": ⟦INT⟧, \"first_name\": \"⟦FIRST⟧\", \"last_name\": \"⟦LAST⟧\", \"ssn\": \"⟦SSN⟧\", \"dob\": \"⟦DOB⟧\", \"plan\": \"gold\"}]\nConvert to CSV"),
        T("code", "Refactor this test fixture:\n\n```python\ncustomer = Customer(\n    name=\"⟦NAME⟧\",\n    email=\"⟦EMAIL⟧\",\n    iban=\"⟦IBAN1⟧\",\n    created=datetime(⟦YEAR⟧, 3, 1),\n)\nassert customer.is_valid()\n```"),
        T("code", "```csharp\n// TODO(⟦FIRST_LC⟧): remove before merge\nvar card = \"⟦CARD1⟧\";\nvar result = await _gateway.ChargeAsync(card, amount: ⟦INT⟧m, ct);\n```\nWhy does ChargeAsync throw?"),
        T("code", "```js\nconst API_KEY = \"⟦SECRET⟧\";\nfetch(`https://api.example.com/v2/orders/⟦ORDER⟧`, { headers: { Authorization: `Bearer ${API_KEY}` } })\n```\nhow do I retry this on 429?"),
        T("code", "config.yaml:\n\n```yaml\nsmtp:\n  host: mail.internal\n  port: 587\n  user: ⟦EMAIL⟧\n  password: ⟦SECRET⟧\nalerts:\n  oncall: \"⟦PHONE⟧\"\n```\nIs this safe to commit?"),
        T("json", "{\"employee_id\": \"⟦ORDER⟧\", \"name\": \"⟦NAME⟧\", \"nino\": \"⟦NINO⟧\", \"tax_code\": \"1257L\", \"start\": \"⟦DATE⟧\"}\nmap this to our payroll CSV"),
        T("csv", "applicant_id,full_name,ssn,score\n⟦INT⟧,⟦NAME⟧,⟦SSN⟧,⟦INT⟧\n⟦INT⟧,⟦NAME⟧,⟦SSN⟧,⟦INT⟧\nwhich applicants are above 700?"),
        T("log", "⟦TIMESTAMP⟧ DEBUG kyc - verify ssn=⟦SSN⟧ dob=⟦DOB⟧ result=MATCH score=0.⟦INT⟧\n⟦TIMESTAMP⟧ INFO  kyc - case ⟦TICKET⟧ closed\nshould we be logging this?"),
        T("json", "{\"service\": \"billing\", \"api_key\": \"⟦SECRET⟧\", \"region\": \"eu-west-1\", \"timeout_ms\": ⟦INT⟧}\nwhy does the client get 401?"),
        T("log", "curl -X POST https://api.partner.io/v1/payouts -H \"Authorization: Bearer ⟦SECRET⟧\" -d '{\"amount\": ⟦INT⟧}'\n→ 403 Forbidden. What am I missing?"),
        T("code", "# .env für die Staging-Umgebung\nDB_HOST=⟦IP⟧\nDB_PASSWORD=⟦SECRET⟧\nMAIL_FROM=⟦EMAIL⟧\nWarum liest Docker Compose die Datei nicht?", "de"),
        T("log", "⟦TIMESTAMP⟧ sshd[⟦INT⟧]: Failed password for root from ⟦IP⟧ port ⟦INT⟧ ssh2\n⟦TIMESTAMP⟧ sshd[⟦INT⟧]: Failed password for admin from ⟦IP⟧ port ⟦INT⟧ ssh2\nshould I block these?"),
        T("sql", "SELECT * FROM customers WHERE email = '⟦EMAIL⟧' OR phone = '⟦PHONE⟧';\n-- returns 0 rows but ⟦NAME⟧ is definitely in there, why?"),
        T("sql", "INSERT INTO payouts (account_holder, iban, amount, ref) VALUES ('⟦NAME⟧', '⟦IBANX⟧', ⟦INT⟧.00, '⟦INVOICE⟧');\nthis fails with a check constraint, help"),
        T("csv", "id;name;iban;amount\n⟦INT⟧;⟦NAME⟧;⟦IBAN1⟧;⟦AMOUNT⟧\n⟦INT⟧;⟦NAME⟧;⟦IBAN1⟧;⟦AMOUNT⟧\n⟦INT⟧;⟦NAME⟧;⟦IBAN1⟧;⟦AMOUNT⟧\nwhy does Excel mangle the IBAN column?"),
        T("git", "Summarise these commits for the changelog:\n\ncommit ⟦HASH⟧\nAuthor: ⟦NAME:1⟧ <⟦EMAIL:1⟧>\nDate:   ⟦TIMESTAMP⟧\n\n    Fix rounding in invoice totals (⟦TICKET⟧)\n\ncommit ⟦HASH⟧\nAuthor: ⟦NAME:2⟧ <⟦EMAIL:2⟧>\n\n    Bump ⟦TOOL⟧ to ⟦VERSION⟧"),
        T("log", "nginx access log, find the attacker:\n⟦IP⟧ - - ⟦TIMESTAMP⟧ \"POST /login HTTP/1.1\" 401 ⟦INT⟧\n⟦IP⟧ - - ⟦TIMESTAMP⟧ \"POST /login HTTP/1.1\" 401 ⟦INT⟧\n⟦IP⟧ - - ⟦TIMESTAMP⟧ \"GET /admin HTTP/1.1\" 200 ⟦INT⟧"),
        T("code", "```java\n// Kundendaten für den Test, nicht committen!\nKunde k = new Kunde(\"⟦NAME⟧\", \"⟦EMAIL⟧\", \"⟦IBAN1⟧\");\nk.setTelefon(\"⟦PHONE⟧\");\n```\nWarum ist k.isValid() false?", "de"),
        T("json", "{\"client\": \"⟦NAME⟧\", \"tel\": \"⟦PHONE⟧\", \"adresse\": \"⟦ADDRESS⟧\", \"commande\": \"⟦ORDER⟧\"}\nPourquoi l'API répond 422 ?", "fr"),
        T("log", "⟦TIMESTAMP⟧ [pagos] ERROR rechazo tarjeta=⟦CARD1⟧ titular=\"⟦NAME⟧\" importe=⟦AMOUNT⟧ código=⟦INT⟧\n¿qué significa este código?", "es"),
        T("table", "Which of these rows violate PCI DSS?\n\n| txn | card | status |\n|---|---|---|\n| ⟦HASH⟧ | ⟦MASKED⟧ | ok |\n| ⟦HASH⟧ | ⟦CARD1⟧ | ok |\n| ⟦HASH⟧ | ⟦MASKED⟧ | declined |"),

        // No personal data.
        T("log", "⟦TIMESTAMP⟧ INFO  Started Application in ⟦DURATION⟧ (JVM running for ⟦DURATION⟧)\n⟦TIMESTAMP⟧ WARN  HikariPool-1 - Connection is not available, request timed out after ⟦INT⟧ms\n⟦TIMESTAMP⟧ ERROR o.h.e.j.s.SqlExceptionHelper - Deadlock found; try restarting transaction\nwhat's going on?"),
        T("log", "⟦TIMESTAMP⟧ build ⟦BUILD⟧ started on agent linux-⟦INT⟧\n⟦TIMESTAMP⟧ Restoring packages (⟦COUNT⟧ KB)\n⟦TIMESTAMP⟧ Tests: ⟦INT⟧ passed, 2 failed, took ⟦DURATION⟧\n⟦TIMESTAMP⟧ Artifact ⟦HASH⟧ uploaded (⟦SIZE⟧)\nwhy is the build flaky?"),
        T("log", "kubectl get pods\nNAME                         READY   STATUS             RESTARTS   AGE\napi-7d9f8b6c5-x2kqp          1/1     Running            0          3d\nworker-5c6d7f8b9-7hj2k       0/1     CrashLoopBackOff   ⟦INT⟧         ⟦INT⟧m\nimage: registry.local/worker:⟦VERSION⟧@⟦HASH⟧"),
        T("log", "Traceback (most recent call last):\n  File \"/app/jobs/sync.py\", line ⟦INT⟧, in run\n    resp = client.get(url, timeout=30)\nrequests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.partner.io', port=443): Read timed out. (read timeout=30)\njob id ⟦HASH⟧, started ⟦TIMESTAMP⟧"),
        T("release", "## ⟦VERSION⟧ (⟦DATE⟧)\n\n### Fixed\n- Checkout no longer times out after ⟦DURATION⟧ (⟦TICKET⟧)\n- ⟦TOOL⟧ upgraded to ⟦VERSION⟧; ⟦TOOL⟧ pinned to ⟦VERSION⟧\n- Build ⟦BUILD⟧ reproducible again\n\n### Changed\n- Default pool size is now ⟦INT⟧\n\nRewrite this for customers."),
        T("release", "Release notes ⟦VERSION⟧\n\n* New: export to ⟦TOOL⟧ and ⟦TOOL⟧\n* Fixed: crash on Android ⟦INT⟧ when opening orders older than ⟦DATE⟧\n* Fixed: totals above ⟦AMOUNT⟧ were rounded\n* Known issue: Safari ⟦VERSION⟧ shows the map of ⟦CITY⟧ blank\n\nTranslate to German."),
        T("json", "{\n  \"order\": \"⟦ORDER⟧\",\n  \"invoice\": \"⟦INVOICE⟧\",\n  \"tracking\": \"⟦TRACKING⟧\",\n  \"items\": [{\"sku\": \"⟦EAN⟧\", \"qty\": ⟦INT⟧, \"price\": ⟦INT⟧.99}],\n  \"warehouse\": \"⟦CITY⟧\",\n  \"created\": \"⟦TIMESTAMP⟧\",\n  \"version\": \"⟦VERSION⟧\"\n}\nWrite a TypeScript type for this."),
        T("json", "{\"build\": \"⟦BUILD⟧\", \"commit\": \"⟦HASH⟧\", \"node\": \"⟦VERSION⟧\", \"duration_ms\": ⟦INT⟧, \"location\": {\"city\": \"⟦CITY⟧\", \"coords\": \"⟦COORD⟧\"}}\nparse this in Go"),
        T("code", "```python\nfrom ⟦TOOL_LC⟧ import Client\n\nclient = Client(host=\"db.internal\", port=5432, timeout=⟦INT⟧)\nrows = client.query(\"SELECT id, total FROM orders WHERE created > '⟦DATE⟧'\")\n```\nWhy is this slow with ⟦COUNT⟧ rows?"),
        T("code", "```csharp\npublic sealed class JacksonSettings\n{\n    public int MaxDepth { get; init; } = ⟦INT⟧;\n    public string Culture { get; init; } = \"de-DE\";\n}\n// used by Carter endpoints and Polly retries\n```\nIs init-only right here?"),
        T("code", "```yaml\nimage: ⟦TOOL_LC⟧:⟦VERSION⟧\nreplicas: ⟦INT⟧\nresources:\n  limits: { memory: ⟦SIZE⟧ }\nenv:\n  - name: BUILD\n    value: \"⟦BUILD⟧\"\n```\nWhy does the pod get OOMKilled?"),
        T("code", "```ts\nexport const ORDER_PREFIX = \"⟦ORDER⟧\";\nexport function trackingUrl(id = \"⟦TRACKING⟧\") { return `https://track.example/${id}`; }\n// Winston logger, Jasmine tests, Karma runner\n```\nconvert to a class"),
        T("sql", "SELECT region, SUM(total) FROM orders WHERE created BETWEEN '⟦DATE⟧' AND '⟦DATE⟧' AND warehouse IN ('⟦CITY⟧', '⟦CITY⟧') GROUP BY region;\n-- takes ⟦DURATION⟧, add an index?"),
        T("csv", "sku,ean,qty,price,warehouse\nA-⟦INT⟧,⟦EAN⟧,⟦INT⟧,⟦INT⟧.99,⟦CITY⟧\nB-⟦INT⟧,⟦EAN⟧,⟦INT⟧,⟦INT⟧.49,⟦CITY⟧\nfind duplicates"),
        T("git", "git log --oneline\n⟦HASH⟧ Merge PR ⟦TICKET⟧ from release/⟦VERSION⟧\n⟦HASH⟧ Bump ⟦TOOL⟧ from ⟦VERSION⟧ to ⟦VERSION⟧\n⟦HASH⟧ Fix flaky test on build ⟦BUILD⟧\nwrite the release summary"),
        T("log", "⟦TIMESTAMP⟧ [⟦TOOL⟧] connected to broker ⟦IP⟧:9092 in ⟦DURATION⟧\n⟦TIMESTAMP⟧ [⟦TOOL⟧] consumer lag ⟦COUNT⟧ on partition ⟦INT⟧\nhow do I bring the lag down?"),
        T("log", "⟦TIMESTAMP⟧ GET /api/v2/orders/⟦ORDER⟧ 200 ⟦DURATION⟧\n⟦TIMESTAMP⟧ GET /api/v2/invoices/⟦INVOICE⟧ 404 ⟦DURATION⟧\n⟦TIMESTAMP⟧ POST /api/v2/shipments 201 tracking=⟦TRACKING⟧\nwhy the 404?"),
        T("code", "```go\n// Lieferstatus abfragen, Timeout ⟦INT⟧s\nresp, err := client.Get(fmt.Sprintf(\"%s/sendungen/%s\", baseURL, \"⟦TRACKING⟧\"))\n```\nWie behandle ich err richtig?", "de"),
        T("log", "⟦TIMESTAMP⟧ [facturation] facture ⟦INVOICE⟧ générée, montant ⟦AMOUNT⟧, client ⟦ORDER⟧\n⟦TIMESTAMP⟧ [facturation] envoi vers ⟦TOOL⟧ échoué après ⟦DURATION⟧\nque faire ?", "fr"),
        T("release", "Versione ⟦VERSION⟧ (⟦DATE⟧)\n- Corretto il calcolo dell'IVA sopra ⟦AMOUNT⟧\n- Aggiornato ⟦TOOL⟧ alla ⟦VERSION⟧\n- Build ⟦BUILD⟧\nTraduci in inglese.", "it"),
        T("release", "Versie ⟦VERSION⟧ — ⟦DATE⟧\n* Nieuw: koppeling met ⟦TOOL⟧\n* Opgelost: bestellingen boven ⟦AMOUNT⟧ werden afgerond\n* Build ⟦BUILD⟧, commit ⟦HASH⟧", "nl"),
        T("log", "⟦TIMESTAMP⟧ [pagamentos] cartão ⟦MASKED⟧ recusado, referência ⟦REF⟧, loja ⟦CITY⟧\nexplica o erro", "pt"),
    ];
}
