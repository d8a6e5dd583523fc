package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import java.util.regex.Pattern;

/** WhatsApp addresses people by phone number in international format (E.164: a country code, at most 15 digits). */
final class PhoneNumbers {

    /**
     * A number as people write it: an optional {@code +}, a country code (never 0) and 7 to 15 digits in
     * all, with spaces, dashes, dots or brackets between them. The host checks it before queueing.
     */
    static final Pattern FORMAT = Pattern.compile("[\\s(]*\\+?[\\s(]*[1-9](?:[\\s\\-.()]*[0-9]){6,14}[\\s)]*");
    private static final Pattern NOT_DIGITS = Pattern.compile("[^0-9]");
    static final String DESCRIPTION = "a phone number in international format with its country code, such as +14155550123";

    private PhoneNumbers() {
    }

    /**
     * The number as the Graph API takes it: digits only, country code first.
     *
     * @throws PermanentDeliveryException {@code invalid_target} when it is not in international format
     */
    static String international(String target) throws PermanentDeliveryException {
        if (!FORMAT.matcher(target).matches()) {
            throw new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "a WhatsApp target is " + DESCRIPTION + ", not '" + target + "'");
        }
        return NOT_DIGITS.matcher(target).replaceAll("");
    }
}
