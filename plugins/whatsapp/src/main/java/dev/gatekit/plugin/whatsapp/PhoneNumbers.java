package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import java.util.regex.Pattern;

/** WhatsApp addresses people by phone number in international format (E.164: a country code, at most 15 digits). */
final class PhoneNumbers {

    /** What people write between digits: spaces, dashes, dots, brackets. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");
    private static final Pattern INTERNATIONAL = Pattern.compile("\\+?[1-9][0-9]{6,14}");

    private PhoneNumbers() {
    }

    /**
     * The number as the Graph API takes it: digits only, country code first.
     *
     * @throws PermanentDeliveryException {@code invalid_target} when it is not in international format
     */
    static String international(String target) throws PermanentDeliveryException {
        String compact = SEPARATORS.matcher(target.trim()).replaceAll("");
        if (!INTERNATIONAL.matcher(compact).matches()) {
            throw new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "a WhatsApp target is a phone number in international "
                    + "format with its country code, such as +14155550123, not '" + target + "'");
        }
        return compact.startsWith("+") ? compact.substring(1) : compact;
    }
}
