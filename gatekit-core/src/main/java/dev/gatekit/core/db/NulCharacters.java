package dev.gatekit.core.db;

/**
 * U+0000 is the one character Postgres cannot store: a {@code text} value holding it and a
 * {@code jsonb} value holding its escape <code>&#92;u0000</code> are both refused. What a client sends is
 * refused before it gets that far ({@code NulCharacterGuard}); what a platform reports is stored
 * without it, so an authentic event is never refused forever.
 */
public final class NulCharacters {

    private static final String ESCAPE = "\\u0000";

    private NulCharacters() {
    }

    public static boolean contains(String value) {
        return value != null && value.indexOf('\0') >= 0;
    }

    /** The value without any U+0000; null stays null. */
    public static String strip(String value) {
        return contains(value) ? value.replace("\0", "") : value;
    }

    /**
     * JSON text without U+0000, raw or escaped: <code>"a&#92;u0000b"</code> becomes {@code "ab"}, while an
     * escaped backslash followed by {@code u0000} (seven characters of text: a string holding
     * <code>&#92;u0000</code> itself) stays.
     */
    public static String stripFromJson(String json) {
        String text = strip(json);
        if (text == null || !text.contains(ESCAPE)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                if (text.startsWith(ESCAPE, i)) {
                    i += ESCAPE.length();
                } else {
                    out.append(c).append(text.charAt(i + 1));
                    i += 2;
                }
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
