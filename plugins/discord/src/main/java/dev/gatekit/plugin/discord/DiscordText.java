package dev.gatekit.plugin.discord;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.entities.Message.MentionType;

/**
 * Turns a message's text into what Discord shows as intended: plain text with its markdown
 * escaped, mentions the request did not allow made inert, and long text split into messages of at
 * most {@link #MESSAGE_LIMIT} characters.
 */
final class DiscordText {

    /** Discord's limit on a message's content, in characters (UTF-16 units). */
    static final int MESSAGE_LIMIT = 2000;

    private static final char ZERO_WIDTH_SPACE = '\u200B';
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>]+");
    /** Characters Discord's markdown gives meaning to; a backslash before any punctuation shows it as is. */
    private static final String MARKDOWN = "\\*_~|`>#-[]()<:";
    private static final Pattern EVERYONE = Pattern.compile("@(everyone|here)");
    private static final Pattern ROLE = Pattern.compile("<@&(\\d+)>");
    private static final Pattern USER = Pattern.compile("<@!?(\\d+)>");
    private static final String FENCE = "```";

    private DiscordText() {
    }

    /**
     * Escapes Discord's markdown so the text shows exactly as written; links stay links.
     *
     * @param text plain text
     * @return the escaped text
     */
    static String escapeMarkdown(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        Matcher url = URL.matcher(text);
        int at = 0;
        while (url.find()) {
            escapeInto(out, text, at, url.start());
            out.append(url.group());
            at = url.end();
        }
        escapeInto(out, text, at, text.length());
        return out.toString();
    }

    private static void escapeInto(StringBuilder out, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (MARKDOWN.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /**
     * Makes the mentions the request did not allow inert, the way Discord's own libraries do: a
     * zero-width space after the {@code @}. The allowed-mentions field already stops the ping; this also
     * stops the text from showing as a highlighted mention.
     *
     * @param text    the text, escaped or markdown
     * @param allowed the mention types the request allows
     * @return the text
     */
    static String neutralizeMentions(String text, Set<MentionType> allowed) {
        String result = text;
        if (!allowed.contains(MentionType.EVERYONE) && !allowed.contains(MentionType.HERE)) {
            result = EVERYONE.matcher(result).replaceAll("@" + ZERO_WIDTH_SPACE + "$1");
        }
        if (!allowed.contains(MentionType.ROLE)) {
            result = ROLE.matcher(result).replaceAll("<@" + ZERO_WIDTH_SPACE + "&$1>");
        }
        if (!allowed.contains(MentionType.USER)) {
            result = USER.matcher(result).replaceAll(match -> "<@" + ZERO_WIDTH_SPACE + match.group().substring(2));
        }
        return result;
    }

    /**
     * Splits text into messages of at most {@code limit} characters: at the last paragraph break that
     * fits, else line break, else space, else hard; never inside a surrogate pair or right after an
     * escaping backslash. A code block cut in two is closed at the end of one part and opened again at
     * the start of the next.
     *
     * @param text  the text
     * @param limit the longest part
     * @return the parts, in order; one part when the text fits
     */
    static List<String> split(String text, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = text;
        // Room to close and reopen a code block cut in two.
        int room = limit - (FENCE.length() + 1) * 2;
        while (rest.length() > limit) {
            int cut = cutPoint(rest, room);
            String part = rest.substring(0, cut);
            rest = rest.substring(cut);
            if (rest.startsWith("\n")) {
                rest = rest.substring(1);
            }
            if (countFences(part) % 2 == 1) {
                part = part + "\n" + FENCE;
                rest = FENCE + "\n" + rest;
            }
            parts.add(part.stripTrailing().isEmpty() ? part : part.stripTrailing());
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    private static int cutPoint(String text, int limit) {
        int paragraph = text.lastIndexOf("\n\n", limit);
        if (paragraph > limit / 2) {
            return paragraph + 1;
        }
        int line = text.lastIndexOf('\n', limit);
        if (line > limit / 2) {
            return line;
        }
        int space = text.lastIndexOf(' ', limit);
        if (space > limit / 2) {
            return space + 1;
        }
        int cut = limit;
        if (Character.isLowSurrogate(text.charAt(cut))) {
            cut--;
        }
        if (text.charAt(cut - 1) == '\\') {
            cut--;
        }
        return cut;
    }

    private static int countFences(String text) {
        int count = 0;
        for (int at = text.indexOf(FENCE); at >= 0; at = text.indexOf(FENCE, at + FENCE.length())) {
            count++;
        }
        return count;
    }
}
