namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Portuguese prompts (PT, BR): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class PortugueseTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("pt", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "Podes ajudar-me a escrever um lembrete ao ⟦NAME⟧? Ainda deve ⟦AMOUNT⟧ da fatura ⟦INVOICE⟧."),
        T("chat", "O meu cartão ⟦CARD⟧ foi cobrado duas vezes pela encomenda ⟦ORDER⟧. Como escrevo a reclamação ao banco?"),
        T("chat", "Resume: ⟦TNAME⟧ ligou do ⟦PHONE⟧, a encomenda para ⟦CITY⟧ está parada desde ⟦DATE⟧ (seguimento ⟦TRACKING⟧)."),
        T("chat", "olá sou a ⟦FIRST_LC⟧, podes rever a minha carta de apresentação? o meu telemóvel é ⟦PHONE⟧"),
        T("chat", "Traduz para inglês: \"Cara ⟦TNAME⟧, por favor transfira a caução até ⟦DATE⟧ para o IBAN ⟦IBAN⟧.\""),
        T("chat", "Campos obrigatórios: nome e NIF. O ⟦FIRST⟧ preencheu tudo menos o telemóvel, que é ⟦PHONE⟧. Reescreve o pedido."),
        T("ticket", "Assunto: Reembolso da encomenda ⟦ORDER⟧\n\nBom dia,\n\nDevolvi o artigo a ⟦DATE⟧ e ainda não fui reembolsado. Por favor, creditem esta conta:\n⟦IBAN⟧\n\nCumprimentos,\n⟦NAME⟧\nTel.: ⟦PHONE⟧"),
        T("ticket", "Cliente: ⟦NAME⟧ (⟦EMAIL⟧)\nPlano: Empresas, ⟦COUNT⟧ utilizadores\nProblema: não consegue entrar desde a atualização ⟦VERSION⟧, erro ⟦INT⟧."),
        T("ticket", "Chamada de ⟦TNAME⟧, processo ⟦ORDER⟧: nova morada ⟦ADDRESS⟧. Identidade confirmada com data de nascimento ⟦DOB⟧."),
        T("email", "Olá ⟦FIRST:1⟧,\n\nObrigado pela chamada. Como combinado, envia o contrato assinado para ⟦EMAIL:2⟧ e paga a primeira prestação de ⟦AMOUNT⟧ para:\n\nTitular: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nDescritivo: ⟦INVOICE⟧\n\nCumprimentos,\n⟦NAME:3⟧\nContabilidade\nTel.: ⟦PHONE⟧"),
        T("email", "Exmo. ⟦TNAME⟧,\n\nA sua marcação na loja de ⟦CITY⟧ está confirmada para ⟦DATE⟧ às ⟦TIME⟧. Dúvidas: ⟦PHONE⟧.\n\nCom os melhores cumprimentos,\n⟦FIRST⟧ ⟦LAST⟧"),
        T("form", "Nome: ⟦NAME⟧\nData de nascimento: ⟦DOB⟧\nMorada: ⟦ADDRESS⟧\nTelemóvel: ⟦PHONE⟧\nEmail: ⟦EMAIL⟧\n\nVerifica se falta algum campo."),
        T("form", "Titular do cartão: ⟦NAME_REV⟧\nNúmero do cartão: ⟦CARD⟧\nValidade: ⟦INT⟧/27"),
        T("table", "Ordena por valor:\n\n| Nome | IBAN | Valor |\n|---|---|---|\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "Falámos com o ⟦LAST⟧ das compras e ele quer o orçamento em ⟦AMOUNT⟧. Escreve a resposta."),

        // No personal data.
        T("chat", "Qual é a diferença entre ⟦TOOL⟧ e ⟦TOOL⟧ para uma equipa de ⟦INT⟧ pessoas? Estamos na versão ⟦VERSION⟧."),
        T("chat", "Planeia uma viagem: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, orçamento ⟦AMOUNT⟧, de comboio. Partida a ⟦DATE⟧ às ⟦TIME⟧."),
        T("chat", "A minha encomenda ⟦ORDER⟧ aparece como entregue mas não chegou. Seguimento ⟦TRACKING⟧. Como escrevo a reclamação?"),
        T("chat", "Costa ou interior para férias em agosto? Somos ⟦INT⟧, orçamento ⟦AMOUNT⟧, a partir de ⟦CITY⟧."),
        T("chat", "Leite sem lactose custa ⟦AMOUNT⟧ no ⟦BRAND⟧: compara com outras lojas em ⟦CITY⟧."),
        T("ticket", "Assunto: Artigo errado\n\nNo volume ⟦TRACKING⟧ vinha o EAN ⟦EAN⟧ em vez do que encomendei (encomenda ⟦ORDER⟧ de ⟦DATE⟧). Enviem a etiqueta de devolução."),
        T("ticket", "Prioridade: alta\nDesde a versão ⟦VERSION⟧ o pagamento expira após ⟦DURATION⟧ nas lojas de ⟦CITY⟧ e ⟦CITY⟧. Último build bom: ⟦BUILD⟧."),
        T("email", "Olá a todos,\n\nO armazém de ⟦REGION⟧ vai estar fechado a ⟦DATE⟧. Encomendas feitas depois das ⟦TIME⟧ seguem no dia seguinte.\n\nObrigado!"),
        T("form", "Empresa: ⟦BRAND⟧ Lda.\nNIF: ⟦COMPANYNO⟧\nEncomenda: ⟦ORDER⟧\nEntrega: ⟦DATE⟧\nQuantidade: ⟦COUNT⟧ unidades a ⟦AMOUNT⟧"),
        T("table", "| Região | Encomendas | Vendas |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\nOnde investir?"),
        T("chat", "Porto ou Lisboa para um fim de semana em ⟦DATE⟧? Orçamento ⟦AMOUNT⟧, voo ⟦INT⟧ de ⟦CITY⟧."),
    ];
}
