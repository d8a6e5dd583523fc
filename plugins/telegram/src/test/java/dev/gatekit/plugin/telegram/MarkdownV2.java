package dev.gatekit.plugin.telegram;

/** Reads MarkdownV2 back to the text a reader sees, failing on anything Telegram would refuse. */
final class MarkdownV2 {

    private static final String SPECIALS = "_*[]()~`>#+-=|{}.!\\";

    private MarkdownV2() {
    }

    /**
     * Strips the markup of the entities this plugin emits and unescapes the rest; an unescaped
     * special character outside markup is an error, as it is for Telegram.
     */
    static String visibleText(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        boolean linkTarget = false;
        for (int i = 0; i < markdown.length(); i++) {
            char c = markdown.charAt(i);
            if (c == '\\') {
                if (i + 1 >= markdown.length()) {
                    throw new AssertionError("dangling backslash at " + i + " in " + markdown);
                }
                char escaped = markdown.charAt(++i);
                if (!linkTarget) {
                    out.append(escaped);
                }
                continue;
            }
            if (linkTarget) {
                if (c == ')') {
                    linkTarget = false;
                }
                continue;
            }
            if (code) {
                if (c == '`') {
                    code = false;
                } else {
                    out.append(c);
                }
                continue;
            }
            switch (c) {
                case '`' -> code = true;
                case '*', '_', '~', '|', '[', '\r' -> {
                    // entity markup
                }
                case ']' -> {
                    if (i + 1 < markdown.length() && markdown.charAt(i + 1) == '(') {
                        linkTarget = true;
                        i++;
                    }
                }
                default -> {
                    if (SPECIALS.indexOf(c) >= 0) {
                        throw new AssertionError("unescaped '" + c + "' at " + i + " in " + markdown);
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
