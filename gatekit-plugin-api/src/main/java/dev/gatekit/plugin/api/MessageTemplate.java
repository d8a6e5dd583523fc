package dev.gatekit.plugin.api;

import java.util.List;

/**
 * A message template the platform approved in advance, sent with the values of its placeholders
 * (WhatsApp's message templates: the only kind of message WhatsApp delivers outside its 24-hour
 * customer-service window). The template's wording lives on the platform; the message carries only
 * its name, its language and the values. See {@link MessageContent#template()}.
 *
 * @param name             the template's name as registered on the platform, such as
 *                         {@code order_update}; not blank
 * @param language         the language (locale) code of the approved translation, such as
 *                         {@code en_US}; not blank
 * @param headerParameters the values of the header's placeholders: text, or one media item for a
 *                         media header; null means none
 * @param bodyParameters   the values of the body's placeholders, in order ({@code {{1}}},
 *                         {@code {{2}}}, ...) or by {@link TemplateParameter#name()}; null means none
 * @param buttons          the values of the template's buttons that take one; null means none
 * @since 1.2.0
 */
public record MessageTemplate(
        String name,
        String language,
        List<TemplateParameter> headerParameters,
        List<TemplateParameter> bodyParameters,
        List<TemplateButtonParameter> buttons) {

    /**
     * Validates the template and copies its lists.
     *
     * @throws IllegalArgumentException when the name or language is blank
     */
    public MessageTemplate {
        Values.requireText(name, "template name");
        Values.requireText(language, "template language");
        headerParameters = Values.list(headerParameters, "headerParameters");
        bodyParameters = Values.list(bodyParameters, "bodyParameters");
        buttons = Values.list(buttons, "buttons");
    }

    /**
     * A template with body parameters only, the most common kind.
     *
     * @param name           the template's name
     * @param language       the language code
     * @param bodyParameters the body's values, in order
     * @return the template
     */
    public static MessageTemplate of(String name, String language, TemplateParameter... bodyParameters) {
        return new MessageTemplate(name, language, null, List.of(bodyParameters), null);
    }
}
