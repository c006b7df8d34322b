namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Spanish prompts (ES, MX): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class SpanishTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("es", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "¿Me ayudas a escribir un recordatorio a ⟦NAME⟧? Todavía debe ⟦AMOUNT⟧ de la factura ⟦INVOICE⟧."),
        T("chat", "Me cobraron dos veces en la tarjeta ⟦CARD⟧ por el pedido ⟦ORDER⟧. ¿Cómo redacto la reclamación al banco?"),
        T("chat", "Resume: ⟦TNAME⟧ llamó desde el ⟦PHONE⟧, el paquete a ⟦CITY⟧ está parado desde el ⟦DATE⟧ (seguimiento ⟦TRACKING⟧)."),
        T("chat", "hola soy ⟦FIRST_LC⟧, me corriges el cv? mi móvil es ⟦PHONE⟧"),
        T("chat", "Traduce al inglés: \"Estimada ⟦TNAME⟧, por favor transfiera la fianza antes del ⟦DATE⟧ a la cuenta ⟦IBAN⟧.\""),
        T("chat", "Bueno, al final ⟦FIRST⟧ no viene a la reunión de ⟦CITY⟧. ¿Cómo se lo digo al cliente sin quedar mal?"),
        T("chat", "¿Está bien escrito este IBAN? ⟦IBAN⟧ — la transferencia de ⟦AMOUNT⟧ me la devolvieron."),
        T("ticket", "Asunto: Reembolso pedido ⟦ORDER⟧\n\nHola,\n\nDevolví el artículo el ⟦DATE⟧ y todavía no me han reembolsado. Por favor, abonen en esta cuenta:\n⟦IBAN⟧\n\nUn saludo,\n⟦NAME⟧\nTel.: ⟦PHONE⟧"),
        T("ticket", "Cliente: ⟦NAME⟧ (⟦EMAIL⟧)\nPlan: Empresa, ⟦COUNT⟧ usuarios\nProblema: no puede iniciar sesión desde la actualización ⟦VERSION⟧, error ⟦INT⟧."),
        T("ticket", "Llamada de ⟦TNAME⟧, expediente ⟦ORDER⟧: nueva dirección ⟦ADDRESS⟧. Identidad verificada con fecha de nacimiento ⟦DOB⟧."),
        T("email", "Hola ⟦FIRST:1⟧:\n\nGracias por la llamada. Como hablamos, envía el contrato firmado a ⟦EMAIL:2⟧ y paga el primer plazo de ⟦AMOUNT⟧ a:\n\nTitular: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nConcepto: ⟦INVOICE⟧\n\nSaludos,\n⟦NAME:3⟧\nContabilidad\nTel.: ⟦PHONE⟧"),
        T("email", "Estimado ⟦TNAME⟧:\n\nSu cita en la oficina de ⟦CITY⟧ queda confirmada para el ⟦DATE⟧ a las ⟦TIME⟧. Para cualquier consulta: ⟦PHONE⟧.\n\nAtentamente,\n⟦FIRST⟧ ⟦LAST⟧"),
        T("form", "Nombre: ⟦FIRST⟧\nApellidos: ⟦LAST⟧\nFecha de nacimiento: ⟦DOB⟧\nDirección: ⟦ADDRESS⟧\nTeléfono: ⟦PHONE⟧\nCorreo: ⟦EMAIL⟧\n\nRevisa si falta algún dato."),
        T("form", "Titular de la tarjeta: ⟦NAME_REV⟧\nNúmero: ⟦CARD⟧\nCaducidad: ⟦INT⟧/27"),
        T("table", "Ordena por importe:\n\n| Nombre | IBAN | Importe |\n|---|---|---|\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "Hablamos con ⟦LAST⟧ de compras y quiere el presupuesto en ⟦AMOUNT⟧. Escribe la respuesta."),
        T("chat", "mi hermana ⟦FIRST⟧ me pasó su número ⟦PHONE⟧, cómo lo guardo con prefijo internacional?"),

        // No personal data.
        T("chat", "¿Qué diferencia hay entre ⟦TOOL⟧ y ⟦TOOL⟧ para un equipo de ⟦INT⟧ personas? Usamos la versión ⟦VERSION⟧."),
        T("chat", "Planifica un viaje: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, presupuesto ⟦AMOUNT⟧, mejor en tren. Salida el ⟦DATE⟧ a las ⟦TIME⟧."),
        T("chat", "Mi pedido ⟦ORDER⟧ figura como entregado pero no ha llegado. Número de seguimiento ⟦TRACKING⟧. ¿Cómo escribo la reclamación?"),
        T("chat", "Bueno, y ahora qué hago: la factura ⟦INVOICE⟧ dice ⟦AMOUNT⟧ pero el presupuesto era menor."),
        T("chat", "Campos obligatorios del formulario: ¿cuáles pongo para un alta de proveedor? Tenemos ⟦COUNT⟧ proveedores."),
        T("chat", "Luna llena en ⟦CITY⟧ el ⟦DATE⟧: ¿a qué hora sale y dónde se ve mejor? Vamos ⟦INT⟧ personas."),
        T("ticket", "Asunto: Artículo equivocado\n\nEn el paquete ⟦TRACKING⟧ venía el EAN ⟦EAN⟧ en lugar de lo que pedí (pedido ⟦ORDER⟧ del ⟦DATE⟧). Envíen la etiqueta de devolución."),
        T("ticket", "Prioridad: alta\nDesde la versión ⟦VERSION⟧ el pago caduca tras ⟦DURATION⟧ en las tiendas de ⟦CITY⟧ y ⟦CITY⟧. Último build bueno: ⟦BUILD⟧."),
        T("email", "Hola a todos:\n\nEl almacén de ⟦REGION⟧ cerrará el ⟦DATE⟧. Los pedidos hechos después de las ⟦TIME⟧ saldrán al día siguiente.\n\n¡Gracias!"),
        T("form", "Empresa: ⟦BRAND⟧ S.L.\nCIF: ⟦COMPANYNO⟧\nPedido: ⟦ORDER⟧\nEntrega: ⟦DATE⟧\nCantidad: ⟦COUNT⟧ unidades a ⟦AMOUNT⟧"),
        T("table", "| Región | Pedidos | Ventas |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\n¿Dónde invertimos?"),
        T("chat", "Mesa para ⟦INT⟧ en ⟦CITY⟧ el ⟦DATE⟧: ¿me escribes el correo al restaurante? Presupuesto ⟦AMOUNT⟧ por persona."),
    ];
}
