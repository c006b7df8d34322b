namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>French prompts (FR, BE, CH): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class FrenchTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("fr", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "Tu peux m'aider à écrire une relance à ⟦NAME⟧ ? Il reste ⟦AMOUNT⟧ à payer sur la facture ⟦INVOICE⟧."),
        T("chat", "Ma carte ⟦CARD⟧ a été débitée deux fois pour la commande ⟦ORDER⟧. Comment rédiger une réclamation à la banque ?"),
        T("chat", "Résume : ⟦TNAME⟧ a appelé du ⟦PHONE⟧, le colis pour ⟦CITY⟧ est bloqué depuis le ⟦DATE⟧ (suivi ⟦TRACKING⟧)."),
        T("chat", "salut c'est ⟦FIRST_LC⟧, tu peux corriger ma lettre de motivation ? mon tel c'est le ⟦PHONE⟧"),
        T("chat", "Traduis en anglais : « Chère ⟦TNAME⟧, merci de virer la caution avant le ⟦DATE⟧ sur le compte ⟦IBAN⟧. »"),
        T("chat", "Mon RIB : ⟦IBAN⟧ — est-ce que le format est bon pour un virement SEPA de ⟦AMOUNT⟧ ?"),
        T("chat", "Écris un petit mot pour le départ de ma collègue ⟦FIRST⟧, elle part à ⟦CITY⟧ en septembre."),
        T("ticket", "Objet : Remboursement commande ⟦ORDER⟧\n\nBonjour,\n\nJ'ai renvoyé l'article le ⟦DATE⟧ et je n'ai toujours pas été remboursé. Merci de créditer ce compte :\n⟦IBAN⟧\n\nCordialement,\n⟦NAME⟧\n⟦PHONE⟧"),
        T("ticket", "Client : ⟦NAME⟧ (⟦EMAIL⟧)\nOffre : Pro, ⟦COUNT⟧ utilisateurs\nProblème : connexion impossible depuis la mise à jour ⟦VERSION⟧, code d'erreur ⟦INT⟧."),
        T("ticket", "[⟦TICKET⟧] Prélèvement rejeté\nDemandeur : ⟦NAME⟧\nLe prélèvement sur ⟦IBAN⟧ a été rejeté le ⟦DATE⟧ (référence ⟦REF⟧). Le client demande une nouvelle présentation."),
        T("ticket", "Appel de ⟦TNAME⟧, dossier ⟦ORDER⟧ : nouvelle adresse ⟦ADDRESS⟧. Identité vérifiée, née le ⟦DOB⟧."),
        T("email", "Bonjour ⟦FIRST:1⟧,\n\nMerci pour l'échange. Comme convenu, merci d'envoyer le contrat signé à ⟦EMAIL:2⟧ et de régler le premier acompte de ⟦AMOUNT⟧ :\n\nTitulaire : ⟦NAME:2⟧\nIBAN : ⟦IBAN⟧\nRéférence : ⟦INVOICE⟧\n\nBien cordialement,\n⟦NAME:3⟧\nService comptabilité\nTél. : ⟦PHONE⟧"),
        T("email", "Madame, Monsieur,\n\nVotre rendez-vous à l'agence de ⟦CITY⟧ est confirmé le ⟦DATE⟧ à ⟦TIME⟧. Pour toute question : ⟦PHONE⟧.\n\nCordialement,\n⟦FIRST⟧ ⟦LAST⟧"),
        T("form", "Nom : ⟦LAST⟧\nPrénom : ⟦FIRST⟧\nDate de naissance : ⟦DOB⟧\nAdresse : ⟦ADDRESS⟧\nTéléphone : ⟦PHONE⟧\nCourriel : ⟦EMAIL⟧\n\nVérifie si le dossier est complet."),
        T("form", "Titulaire de la carte : ⟦NAME_REV⟧\nNuméro : ⟦CARD⟧\nExpiration : ⟦INT⟧/26"),
        T("table", "Trie par montant :\n\n| Nom | Carte | Montant |\n|---|---|---|\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "On a eu ⟦LAST⟧ des achats au téléphone, il veut le devis à ⟦AMOUNT⟧. Propose une réponse."),
        T("chat", "Qui mettre en copie ? ⟦NAME⟧ gère la facturation et ⟦NAME⟧ le site de ⟦CITY⟧."),

        // No personal data.
        T("chat", "Quelle différence entre ⟦TOOL⟧ et ⟦TOOL⟧ pour une équipe de ⟦INT⟧ développeurs ? On est en version ⟦VERSION⟧."),
        T("chat", "Organise un voyage : ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, budget ⟦AMOUNT⟧, en train. Départ le ⟦DATE⟧ à ⟦TIME⟧."),
        T("chat", "Ma commande ⟦ORDER⟧ est indiquée livrée mais je n'ai rien reçu. Numéro de suivi ⟦TRACKING⟧. Comment formuler la réclamation ?"),
        T("chat", "Pierre ou bois pour la terrasse ? Surface ⟦INT⟧ m², devis à ⟦AMOUNT⟧, livraison prévue le ⟦DATE⟧."),
        T("chat", "Petit, blanc et léger : trouve-moi un slogan pour le nouveau modèle ⟦BRAND⟧, prix ⟦AMOUNT⟧."),
        T("chat", "Le boulanger du coin accepte-t-il les tickets-restaurant ? Sinon, propose trois alternatives près de ⟦CITY⟧."),
        T("ticket", "Objet : Mauvais article\n\nLe colis ⟦TRACKING⟧ contenait l'EAN ⟦EAN⟧ au lieu de l'article commandé (commande ⟦ORDER⟧ du ⟦DATE⟧). Merci d'envoyer une étiquette retour."),
        T("ticket", "Priorité : haute\nDepuis la version ⟦VERSION⟧ le paiement expire après ⟦DURATION⟧ pour les magasins de ⟦CITY⟧ et ⟦CITY⟧. Dernier build OK : ⟦BUILD⟧."),
        T("email", "Bonjour à tous,\n\nL'entrepôt de ⟦REGION⟧ sera fermé le ⟦DATE⟧. Les commandes passées après ⟦TIME⟧ partiront le lendemain.\n\nMerci !"),
        T("form", "Société : ⟦BRAND⟧ SAS\nSIRET : ⟦COMPANYNO⟧\nBon de commande : ⟦ORDER⟧\nLivraison : ⟦DATE⟧\nQuantité : ⟦COUNT⟧ à ⟦AMOUNT⟧"),
        T("table", "| Région | Commandes | CA |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\nOù investir l'an prochain ?"),
        T("chat", "Moulin, château ou abbaye : quelles visites en ⟦REGION⟧ pour un groupe de ⟦INT⟧ ? Budget ⟦AMOUNT⟧."),
    ];
}
