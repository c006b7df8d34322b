namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>English prompts (US and UK): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class EnglishTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("en", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "hey, can you help me write a polite reminder to ⟦NAME⟧? they still owe us ⟦AMOUNT⟧ for invoice ⟦INVOICE⟧"),
        T("chat", "My card ⟦CARD⟧ was charged twice for order ⟦ORDER⟧. Can you draft a complaint to the bank?"),
        T("chat", "Summarise this for me: ⟦NAME⟧ called from ⟦PHONE⟧ about the delayed shipment to ⟦CITY⟧, tracking ⟦TRACKING⟧."),
        T("chat", "i'm ⟦FIRST_LC⟧, my number is ⟦PHONE⟧ — can u rewrite my cv summary so it sounds less boring"),
        T("chat", "Translate into German: \"Dear ⟦TNAME⟧, please transfer the deposit to ⟦IBAN⟧ by ⟦DATE⟧.\""),
        T("chat", "Is this NI number format right for the HMRC form? ⟦NINO⟧"),
        T("chat", "My SSN is ⟦SSN⟧ and my employer says it's wrong on my W-2. What should I write to HR?"),
        T("chat", "Can you check if the email ⟦EMAIL⟧ looks legit? It claims to be from ⟦BRAND⟧ support."),
        T("chat", "Write a short birthday message for my colleague ⟦FIRST⟧, she's leaving for ⟦CITY⟧ next month."),
        T("chat", "Please fix the grammar: me and ⟦FIRST⟧ ⟦LAST⟧ was going to ⟦CITY⟧ on ⟦DATE⟧ but the train ⟦INT⟧ got cancelled"),
        T("ticket", "Subject: Refund request ⟦ORDER⟧\n\nHi team,\n\nI returned the ⟦BRAND⟧ headphones on ⟦DATE⟧ but have not been refunded yet. Please refund to the card ending in the number below:\n⟦CARD⟧\n\nThanks,\n⟦NAME⟧\n⟦PHONE⟧"),
        T("ticket", "Customer: ⟦NAME⟧ <⟦EMAIL⟧>\nPlan: Business (⟦COUNT⟧ seats)\nIssue: cannot log in since upgrading to ⟦VERSION⟧. Error code ⟦INT⟧. Please advise."),
        T("ticket", "[Ticket ⟦TICKET⟧] Payment failed\nReporter: ⟦NAME⟧\nThe direct debit from ⟦IBAN⟧ bounced on ⟦DATE⟧ (reference ⟦REF⟧). Customer asks to retry before ⟦DATE⟧."),
        T("ticket", "Caller ⟦TNAME⟧ (account ⟦ORDER⟧) wants her address changed to ⟦ADDRESS⟧. Verified with DOB ⟦DOB⟧ and postcode."),
        T("ticket", "Escalation from ⟦FIRST⟧: the ⟦TOOL⟧ build ⟦BUILD⟧ broke checkout for users in ⟦CITY⟧. Contact on call: ⟦NAME⟧, ⟦PHONE⟧."),
        T("email", "Hi ⟦FIRST:1⟧,\n\nThanks for the call today. As discussed, please send the signed contract to ⟦EMAIL⟧ and pay the first instalment of ⟦AMOUNT⟧ to:\n\nAccount name: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nReference: ⟦INVOICE⟧\n\nBest regards,\n⟦NAME:3⟧\nAccounts, ⟦BRAND⟧ Ltd\nT: ⟦PHONE⟧"),
        T("email", "From: ⟦NAME⟧ <⟦EMAIL⟧>\nTo: Payroll team\nSubject: New starter\n\nPlease set up ⟦NAME⟧ on payroll from ⟦DATE⟧. NI number ⟦NINO⟧, date of birth ⟦DOB⟧, bank sort code 20-⟦INT⟧-17."),
        T("email", "Dear ⟦TNAME⟧,\n\nYour appointment at our ⟦CITY⟧ branch is confirmed for ⟦DATE⟧ at ⟦TIME⟧. If you need to reschedule, call us on ⟦PHONE⟧.\n\nKind regards\n⟦FIRST⟧"),
        T("email", "Can you tighten this up?\n\n\"Hello ⟦FIRST⟧ and ⟦FIRST⟧, the offsite in ⟦REGION⟧ is booked. ⟦NAME⟧ will share the agenda; ⟦NAME⟧ handles travel. Budget ⟦AMOUNT⟧.\""),
        T("form", "Name: ⟦NAME⟧\nDate of birth: ⟦DOB⟧\nAddress: ⟦ADDRESS⟧\nPhone: ⟦PHONE⟧\nEmail: ⟦EMAIL⟧\nSSN: ⟦SSN⟧\n\nPlease check this application for missing fields."),
        T("form", "Cardholder: ⟦NAME_REV⟧\nCard number: ⟦CARD⟧\nExpiry: ⟦INT⟧/28  CVC: ⟦INT⟧\nBilling postcode: ⟦POSTCODE⟧"),
        T("form", "Employee record\n- Full name: ⟦NAME⟧\n- National Insurance: ⟦NINO⟧\n- Start date: ⟦DATE⟧\n- Emergency contact: ⟦NAME⟧ (⟦PHONE⟧)"),
        T("table", "Clean up this table and sort it by amount:\n\n| Name | Card | Amount |\n|---|---|---|\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦MASKED⟧ | ⟦AMOUNT⟧ |"),
        T("table", "name,email,phone,city\n⟦NAME⟧,⟦EMAIL⟧,⟦PHONE⟧,⟦CITY⟧\n⟦NAME⟧,⟦EMAIL⟧,⟦PHONE⟧,⟦CITY⟧\n\nDedupe these contacts please"),
        T("markdown", "## Standup notes ⟦DATE⟧\n\n- **⟦FIRST⟧**: finished the ⟦TOOL⟧ migration, ⟦COUNT⟧ rows moved\n- **⟦FIRST⟧**: on leave until ⟦DATE⟧\n- **⟦FIRST⟧ ⟦LAST⟧**: reviewing PR ⟦TICKET⟧\n\nTurn these into a status email."),
        T("chat", "we had a call with ⟦LAST⟧ from procurement, he wants the quote revised to ⟦AMOUNT⟧ — write the reply"),
        T("chat", "Who should I cc? ⟦NAME⟧ owns billing, ⟦NAME⟧ owns the ⟦CITY⟧ office. Draft the intro."),
        T("chat", "ok so the customer read out her card as ⟦CARD⟧ and the expiry as ⟦INT⟧/27, is that a valid number?"),
        T("ticket", "HR case ⟦TICKET⟧: ⟦NAME⟧ says her payslip shows the wrong NI number (⟦NINO⟧). Tax code 1257L, period ⟦INT⟧. Draft a reply."),
        T("chat", "does HMRC accept lower case? i typed my national insurance number as ⟦NINO⟧ on the portal and it was rejected"),
        T("form", "Applicant: ⟦NAME⟧\nSocial Security No.: ⟦SSN⟧\nEmployer: ⟦BRAND⟧ Inc.\nAnnual income: ⟦AMOUNT⟧\nIs anything missing for the mortgage pre-approval?"),
        T("email", "Hi ⟦FIRST⟧,\n\nfor the background check of ⟦NAME⟧ I still need the SSN (⟦SSN⟧ on the form looks incomplete?) and a phone number. Can you confirm?\n\nThanks, ⟦FIRST⟧"),
        T("ticket", "Vendor onboarding ⟦TICKET⟧: W-9 received from ⟦NAME⟧, SSN ⟦SSN⟧, remit to ⟦ADDRESS⟧. Please review before payment of ⟦AMOUNT⟧."),
        T("chat", "The IRS letter says SSN ⟦SSN⟧ doesn't match my name ⟦NAME⟧. What documents should I send?"),

        // No personal data.
        T("chat", "Can you explain the difference between ⟦TOOL⟧ and ⟦TOOL⟧ for a team of ⟦INT⟧ engineers? We are on version ⟦VERSION⟧."),
        T("chat", "Plan a 3-day trip: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, budget ⟦AMOUNT⟧, train preferred. Leaving ⟦DATE⟧ at ⟦TIME⟧."),
        T("chat", "My order ⟦ORDER⟧ shows delivered but nothing arrived. Tracking number ⟦TRACKING⟧. How do I word a claim?"),
        T("chat", "Why does my build ⟦BUILD⟧ fail when ⟦VERSION⟧ works? Log says exit code ⟦INT⟧ after ⟦DURATION⟧."),
        T("chat", "Convert ⟦AMOUNT⟧ to euros at today's rate and explain the fee on invoice ⟦INVOICE⟧."),
        T("chat", "Jackson or Gson for a Spring Boot service? We parse about ⟦COUNT⟧ messages a day from Kafka."),
        T("chat", "Florence, Siena or Lucca for a day trip from ⟦CITY⟧? Also is the ⟦TIME⟧ train from ⟦CITY⟧ usually on time?"),
        T("chat", "Ruby on Rails vs Django for a small shop? Hosting on ⟦BRAND⟧ cloud, ⟦COUNT⟧ visitors a month."),
        T("chat", "What does it mean when the invoice says \"payable within 30 days, ref ⟦REF⟧\"? The total is ⟦AMOUNT⟧."),
        T("ticket", "Subject: Wrong item in order ⟦ORDER⟧\n\nThe box had EAN ⟦EAN⟧ instead of the one I ordered. Parcel ⟦TRACKING⟧ arrived ⟦DATE⟧. Please send a return label."),
        T("ticket", "Priority: High\nComponent: Checkout\nSince release ⟦VERSION⟧ the payment page times out after ⟦DURATION⟧ for customers in ⟦CITY⟧ and ⟦CITY⟧. Last good build: ⟦BUILD⟧."),
        T("ticket", "Card payments declined for the ⟦CITY⟧ store since ⟦TIME⟧. Terminal shows card ⟦MASKED⟧ and error ⟦INT⟧. Acquirer ref ⟦REF⟧."),
        T("email", "Hi all,\n\nThe ⟦REGION⟧ warehouse will be closed on ⟦DATE⟧. Orders placed after ⟦TIME⟧ ship the next day. Questions to the logistics channel.\n\nThanks!"),
        T("email", "Team — Q3 numbers: revenue ⟦AMOUNT⟧, ⟦COUNT⟧ new accounts, churn ⟦SIZE⟧. The ⟦CITY⟧ and ⟦CITY⟧ offices beat target. Draft the board summary."),
        T("form", "Company: ⟦BRAND⟧ GmbH\nVAT: ⟦COMPANYNO⟧\nPO number: ⟦ORDER⟧\nDelivery by: ⟦DATE⟧\nQuantity: ⟦COUNT⟧ units at ⟦AMOUNT⟧"),
        T("table", "| Region | Orders | Revenue | Growth |\n|---|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ | ⟦SIZE⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ | ⟦SIZE⟧ |\n| ⟦CITY⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ | ⟦SIZE⟧ |\n\nWhich region should we invest in?"),
        T("markdown", "# Trip notes\n\nWe flew ⟦CITY⟧ → ⟦CITY⟧ (flight LH ⟦INT⟧, seat 23C), stayed near ⟦REGION⟧, booking ⟦ORDER⟧. Total ⟦AMOUNT⟧. Turn into an expense summary."),
        T("chat", "Grace period for invoice ⟦INVOICE⟧? Hope it's not too late. Will pay ⟦AMOUNT⟧ on ⟦DATE⟧."),
        T("chat", "Is ISBN ⟦ISBN⟧ the paperback or the hardcover? Ordered from ⟦BRAND⟧, order ⟦ORDER⟧."),
        T("chat", "Winston the logger or Pino for Node? We ship ⟦COUNT⟧ lines a minute to Datadog."),
    ];
}
