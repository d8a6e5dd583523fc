package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.telegram.TelegramSettings.ParseMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Text as Telegram shows it: the visible characters, each run with its style. Markdown and HTML
 * input are parsed into this form, split on the visible text (Telegram's limits count visible
 * characters, after entity parsing), and only then rendered to MarkdownV2 or HTML, part by part.
 * Every part is therefore balanced on its own, and every character the user wrote is escaped as the
 * parse mode needs, so user text can never make Telegram answer "can't parse entities".
 */
final class FormattedText {

    /** Telegram's limit for a message's text, in UTF-16 code units after entity parsing. */
    static final int MESSAGE_LIMIT = 4096;
    /** Telegram's limit for a media caption. */
    static final int CAPTION_LIMIT = 1024;

    private static final Parser MARKDOWN = Parser.builder()
            .extensions(List.of(StrikethroughExtension.create()))
            .build();
    private static final String MARKDOWN_V2_SPECIALS = "_*[]()~`>#+-=|{}.!\\";

    /**
     * The style of a run. {@code pre} is null outside a code block and the language (maybe empty)
     * inside one; {@code link} is the target URL or null.
     */
    record Style(boolean bold, boolean italic, boolean underline, boolean strike, boolean spoiler, boolean code,
                 String pre, String link, boolean quote) {

        static final Style NONE = new Style(false, false, false, false, false, false, null, null, false);

        Style withBold() {
            return new Style(true, italic, underline, strike, spoiler, code, pre, link, quote);
        }

        Style withItalic() {
            return new Style(bold, true, underline, strike, spoiler, code, pre, link, quote);
        }

        Style withUnderline() {
            return new Style(bold, italic, true, strike, spoiler, code, pre, link, quote);
        }

        Style withStrike() {
            return new Style(bold, italic, underline, true, spoiler, code, pre, link, quote);
        }

        Style withSpoiler() {
            return new Style(bold, italic, underline, strike, true, code, pre, link, quote);
        }

        Style withCode() {
            return new Style(bold, italic, underline, strike, spoiler, true, pre, link, quote);
        }

        /** A code block takes no inline style: Telegram's pre entity cannot contain others. */
        Style withPre(String language) {
            return new Style(false, false, false, false, false, false, language == null ? "" : language, null, quote);
        }

        Style withLink(String url) {
            return new Style(bold, italic, underline, strike, spoiler, code, pre, url, quote);
        }

        Style withQuote() {
            return new Style(bold, italic, underline, strike, spoiler, code, pre, link, true);
        }
    }

    /** A run of visible text in one style. */
    record Span(String text, Style style) {
    }

    private final List<Span> spans;
    private final String visible;

    private FormattedText(List<Span> spans) {
        this.spans = List.copyOf(spans);
        StringBuilder text = new StringBuilder();
        spans.forEach(span -> text.append(span.text()));
        this.visible = text.toString();
    }

    List<Span> spans() {
        return spans;
    }

    /** The text as the reader sees it. */
    String visibleText() {
        return visible;
    }

    /** The visible length, in UTF-16 code units as Telegram counts. */
    int length() {
        return visible.length();
    }

    boolean isBlank() {
        return visible.isBlank();
    }

    static FormattedText plain(String text) {
        Builder builder = new Builder();
        builder.append(text, Style.NONE);
        return builder.build();
    }

    /** CommonMark (with {@code ~~strike~~}) to styled runs; anything without a Telegram equivalent becomes plain text. */
    static FormattedText markdown(String text) {
        Builder builder = new Builder();
        builder.blocks(MARKDOWN.parse(text), Style.NONE, "\n\n");
        FormattedText result = builder.build();
        return result.isBlank() ? plain(text) : result;
    }

    private static final Pattern TAG = Pattern.compile("<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>", Pattern.DOTALL);
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CLASS = Pattern.compile("class\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
            Pattern.CASE_INSENSITIVE);

    /**
     * The small HTML subset of {@code TextFormat.HTML} to styled runs: tags Telegram knows keep
     * their meaning, every other tag is dropped (its text kept), entities are decoded.
     */
    static FormattedText html(String text) {
        Builder builder = new Builder();
        List<String> openTags = new ArrayList<>();
        List<Style> styles = new ArrayList<>();
        styles.add(Style.NONE);
        Matcher matcher = TAG.matcher(text);
        int position = 0;
        while (matcher.find()) {
            builder.append(decodeEntities(text.substring(position, matcher.start())), styles.get(styles.size() - 1));
            position = matcher.end();
            if (matcher.group(2) == null) {
                continue; // a comment
            }
            String name = matcher.group(2).toLowerCase(Locale.ROOT);
            String attributes = matcher.group(3);
            Style current = styles.get(styles.size() - 1);
            if (matcher.group(1).isEmpty()) {
                switch (name) {
                    case "br" -> builder.append("\n", current);
                    case "li" -> builder.append("• ", current);
                    default -> {
                        Style next = openStyle(name, attributes, current);
                        if (next != null && !attributes.trim().endsWith("/")) {
                            openTags.add(name);
                            styles.add(next);
                        }
                    }
                }
            } else {
                int index = openTags.lastIndexOf(name);
                if (index >= 0) {
                    while (openTags.size() > index) {
                        openTags.remove(openTags.size() - 1);
                        styles.remove(styles.size() - 1);
                    }
                }
                switch (name) {
                    case "p", "blockquote", "pre", "div" -> builder.append("\n\n", Style.NONE);
                    case "li" -> builder.append("\n", Style.NONE);
                    default -> {
                    }
                }
            }
        }
        builder.append(decodeEntities(text.substring(position)), styles.get(styles.size() - 1));
        FormattedText result = builder.build();
        return result.isBlank() ? plain(text) : result;
    }

    private static Style openStyle(String name, String attributes, Style current) {
        return switch (name) {
            case "b", "strong" -> current.withBold();
            case "i", "em" -> current.withItalic();
            case "u", "ins" -> current.withUnderline();
            case "s", "strike", "del" -> current.withStrike();
            case "tg-spoiler" -> current.withSpoiler();
            case "span" -> attribute(CLASS, attributes).filter("tg-spoiler"::equals).isPresent()
                    ? current.withSpoiler() : current;
            case "code" -> current.pre() != null
                    ? current.withPre(attribute(CLASS, attributes).filter(c -> c.startsWith("language-"))
                            .map(c -> c.substring("language-".length())).orElse(current.pre()))
                    : current.withCode();
            case "pre" -> current.withPre("");
            case "a" -> attribute(HREF, attributes).map(FormattedText::decodeEntities)
                    .filter(FormattedText::linkable).map(current::withLink).orElse(current);
            case "blockquote" -> current.withQuote();
            default -> current;
        };
    }

    private static Optional<String> attribute(Pattern pattern, String attributes) {
        Matcher matcher = pattern.matcher(attributes);
        if (!matcher.find()) {
            return Optional.empty();
        }
        for (int group = 1; group <= 3; group++) {
            if (matcher.group(group) != null) {
                return Optional.of(matcher.group(group).trim());
            }
        }
        return Optional.empty();
    }

    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");

    static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher matcher = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        int position = 0;
        while (matcher.find()) {
            out.append(text, position, matcher.start());
            String entity = matcher.group(1);
            String decoded = switch (entity.toLowerCase(Locale.ROOT)) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                default -> {
                    if (entity.startsWith("#")) {
                        boolean hex = entity.length() > 1 && (entity.charAt(1) == 'x' || entity.charAt(1) == 'X');
                        int codePoint = Integer.parseInt(entity.substring(hex ? 2 : 1), hex ? 16 : 10);
                        yield Character.isValidCodePoint(codePoint) && codePoint != 0
                                ? new String(Character.toChars(codePoint)) : matcher.group();
                    }
                    yield matcher.group();
                }
            };
            out.append(decoded);
            position = matcher.end();
        }
        out.append(text, position, text.length());
        return out.toString();
    }

    /** Telegram refuses text links it cannot open; anything else is shown as text. */
    static boolean linkable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("tg://");
    }

    /**
     * Splits into parts of at most {@code limit} visible characters, at the last paragraph break
     * that fits, else the last line break, else the last whitespace, else (one unbroken word)
     * exactly at the limit, never inside a surrogate pair. Whitespace at a cut is dropped.
     */
    List<FormattedText> split(int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit too small: " + limit);
        }
        List<FormattedText> parts = new ArrayList<>();
        int n = visible.length();
        int start = 0;
        while (true) {
            while (start < n && Character.isWhitespace(visible.charAt(start)) && !parts.isEmpty()) {
                start++;
            }
            if (start >= n) {
                break;
            }
            int end;
            if (n - start <= limit) {
                end = n;
            } else {
                int hardEnd = start + limit;
                if (Character.isLowSurrogate(visible.charAt(hardEnd)) && Character.isHighSurrogate(visible.charAt(hardEnd - 1))) {
                    hardEnd--;
                }
                end = boundary(start, hardEnd);
            }
            int trimmed = end;
            while (trimmed > start && Character.isWhitespace(visible.charAt(trimmed - 1))) {
                trimmed--;
            }
            if (trimmed > start) {
                parts.add(slice(start, trimmed));
            }
            start = end;
        }
        return parts;
    }

    private int boundary(int start, int hardEnd) {
        int paragraph = visible.lastIndexOf("\n\n", hardEnd);
        if (paragraph > start) {
            return paragraph;
        }
        int line = visible.lastIndexOf('\n', hardEnd);
        if (line > start) {
            return line;
        }
        for (int i = hardEnd; i > start; i--) {
            if (Character.isWhitespace(visible.charAt(i))) {
                return i;
            }
        }
        return hardEnd;
    }

    private FormattedText slice(int from, int to) {
        List<Span> result = new ArrayList<>();
        int offset = 0;
        for (Span span : spans) {
            int spanStart = offset;
            int spanEnd = offset + span.text().length();
            offset = spanEnd;
            int a = Math.max(from, spanStart);
            int b = Math.min(to, spanEnd);
            if (a < b) {
                result.add(new Span(span.text().substring(a - spanStart, b - spanStart), span.style()));
            }
        }
        return new FormattedText(result);
    }

    /** Renders for Telegram's {@code parse_mode}; the result shows exactly {@link #visibleText()}. */
    String render(ParseMode mode) {
        return mode == ParseMode.HTML ? new HtmlRenderer().render(spans) : new MarkdownV2Renderer().render(spans);
    }

    /** One formatting layer, outermost first, so that nesting is always well formed. */
    private record Wrapper(int order, String argument) {
        static final int QUOTE = 0;
        static final int LINK = 1;
        static final int BOLD = 2;
        static final int UNDERLINE = 3;
        static final int ITALIC = 4;
        static final int STRIKE = 5;
        static final int SPOILER = 6;
        static final int CODE = 7;
        static final int PRE = 8;

        static List<Wrapper> of(Style style) {
            List<Wrapper> wrappers = new ArrayList<>();
            if (style.quote()) {
                wrappers.add(new Wrapper(QUOTE, null));
            }
            if (style.pre() != null) {
                wrappers.add(new Wrapper(PRE, style.pre()));
                return wrappers;
            }
            if (style.link() != null) {
                wrappers.add(new Wrapper(LINK, style.link()));
            }
            if (style.bold()) {
                wrappers.add(new Wrapper(BOLD, null));
            }
            if (style.underline()) {
                wrappers.add(new Wrapper(UNDERLINE, null));
            }
            if (style.italic()) {
                wrappers.add(new Wrapper(ITALIC, null));
            }
            if (style.strike()) {
                wrappers.add(new Wrapper(STRIKE, null));
            }
            if (style.spoiler()) {
                wrappers.add(new Wrapper(SPOILER, null));
            }
            if (style.code()) {
                wrappers.add(new Wrapper(CODE, null));
            }
            return wrappers;
        }
    }

    /** Opens and closes wrappers as the style changes from run to run. */
    private abstract static class Renderer {
        final StringBuilder out = new StringBuilder();
        private final List<Wrapper> open = new ArrayList<>();

        String render(List<Span> spans) {
            for (Span span : spans) {
                List<Wrapper> wanted = Wrapper.of(span.style());
                int common = 0;
                while (common < open.size() && common < wanted.size() && open.get(common).equals(wanted.get(common))) {
                    common++;
                }
                while (open.size() > common) {
                    close(open.remove(open.size() - 1));
                }
                for (int i = common; i < wanted.size(); i++) {
                    open(wanted.get(i));
                    open.add(wanted.get(i));
                }
                text(span.text(), span.style());
            }
            while (!open.isEmpty()) {
                close(open.remove(open.size() - 1));
            }
            return out.toString();
        }

        abstract void open(Wrapper wrapper);

        abstract void close(Wrapper wrapper);

        abstract void text(String text, Style style);
    }

    private static final class HtmlRenderer extends Renderer {
        @Override
        void open(Wrapper wrapper) {
            out.append(switch (wrapper.order()) {
                case Wrapper.QUOTE -> "<blockquote>";
                case Wrapper.LINK -> "<a href=\"" + escapeHtml(wrapper.argument()).replace("\"", "&quot;") + "\">";
                case Wrapper.BOLD -> "<b>";
                case Wrapper.UNDERLINE -> "<u>";
                case Wrapper.ITALIC -> "<i>";
                case Wrapper.STRIKE -> "<s>";
                case Wrapper.SPOILER -> "<tg-spoiler>";
                case Wrapper.CODE -> "<code>";
                default -> language(wrapper.argument()).isEmpty() ? "<pre>"
                        : "<pre><code class=\"language-" + language(wrapper.argument()) + "\">";
            });
        }

        @Override
        void close(Wrapper wrapper) {
            out.append(switch (wrapper.order()) {
                case Wrapper.QUOTE -> "</blockquote>";
                case Wrapper.LINK -> "</a>";
                case Wrapper.BOLD -> "</b>";
                case Wrapper.UNDERLINE -> "</u>";
                case Wrapper.ITALIC -> "</i>";
                case Wrapper.STRIKE -> "</s>";
                case Wrapper.SPOILER -> "</tg-spoiler>";
                case Wrapper.CODE -> "</code>";
                default -> language(wrapper.argument()).isEmpty() ? "</pre>" : "</code></pre>";
            });
        }

        @Override
        void text(String text, Style style) {
            out.append(escapeHtml(text));
        }
    }

    private static final class MarkdownV2Renderer extends Renderer {
        /** After an italic's closing {@code _}, a following {@code _} would be read as underline: Telegram's documented separator is {@code \r}. */
        private boolean afterItalicClose;

        @Override
        void open(Wrapper wrapper) {
            if (wrapper.order() == Wrapper.QUOTE) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                token(">");
                return;
            }
            token(switch (wrapper.order()) {
                case Wrapper.LINK -> "[";
                case Wrapper.BOLD -> "*";
                case Wrapper.UNDERLINE -> "__";
                case Wrapper.ITALIC -> "_";
                case Wrapper.STRIKE -> "~";
                case Wrapper.SPOILER -> "||";
                case Wrapper.CODE -> "`";
                default -> "```" + language(wrapper.argument()) + "\n";
            });
        }

        @Override
        void close(Wrapper wrapper) {
            switch (wrapper.order()) {
                case Wrapper.QUOTE -> {
                    // A quote ends at the first line that does not start with '>'.
                }
                case Wrapper.LINK -> token("](" + wrapper.argument().replace("\\", "\\\\").replace(")", "\\)") + ")");
                case Wrapper.BOLD -> token("*");
                case Wrapper.UNDERLINE -> token("__");
                case Wrapper.ITALIC -> {
                    token("_");
                    afterItalicClose = true;
                }
                case Wrapper.STRIKE -> token("~");
                case Wrapper.SPOILER -> token("||");
                case Wrapper.CODE -> token("`");
                default -> token("\n```");
            }
        }

        private void token(String token) {
            if (afterItalicClose && token.startsWith("_")) {
                out.append('\r');
            }
            afterItalicClose = false;
            out.append(token);
        }

        @Override
        void text(String text, Style style) {
            afterItalicClose = false;
            boolean verbatim = style.code() || style.pre() != null;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (verbatim ? c == '`' || c == '\\' : MARKDOWN_V2_SPECIALS.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
                if (c == '\n' && style.quote() && i + 1 < text.length()) {
                    out.append('>');
                }
            }
        }
    }

    private static String language(String language) {
        return language == null ? "" : language.replaceAll("[^A-Za-z0-9_+#.-]", "");
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Collects runs, merging neighbours of one style, while walking a markdown tree. */
    private static final class Builder {
        private final List<Span> spans = new ArrayList<>();

        void append(String text, Style style) {
            if (text == null || text.isEmpty()) {
                return;
            }
            if (!spans.isEmpty() && spans.get(spans.size() - 1).style().equals(style)) {
                Span last = spans.remove(spans.size() - 1);
                spans.add(new Span(last.text() + text, style));
            } else {
                spans.add(new Span(text, style));
            }
        }

        FormattedText build() {
            // Telegram trims a message; trimming here keeps split lengths honest.
            List<Span> trimmed = new ArrayList<>(spans);
            while (!trimmed.isEmpty() && trimmed.get(0).text().isBlank()) {
                trimmed.remove(0);
            }
            while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).text().isBlank()) {
                trimmed.remove(trimmed.size() - 1);
            }
            if (!trimmed.isEmpty()) {
                Span first = trimmed.get(0);
                trimmed.set(0, new Span(first.style().pre() != null ? first.text() : first.text().stripLeading(), first.style()));
                Span last = trimmed.get(trimmed.size() - 1);
                trimmed.set(trimmed.size() - 1, new Span(last.text().stripTrailing(), last.style()));
            }
            return new FormattedText(trimmed);
        }

        void blocks(Node parent, Style style, String separator) {
            boolean first = true;
            for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
                if (node instanceof LinkReferenceDefinition) {
                    continue;
                }
                if (!first) {
                    append(separator, style.quote() ? Style.NONE.withQuote() : Style.NONE);
                }
                first = false;
                block(node, style);
            }
        }

        private void block(Node node, Style style) {
            if (node instanceof Paragraph) {
                inlines(node, style);
            } else if (node instanceof Heading) {
                inlines(node, style.withBold());
            } else if (node instanceof BlockQuote) {
                blocks(node, style.withQuote(), "\n\n");
            } else if (node instanceof ListBlock list) {
                int number = list instanceof OrderedList ordered && ordered.getMarkerStartNumber() != null
                        ? ordered.getMarkerStartNumber() : 1;
                boolean firstItem = true;
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    if (!firstItem) {
                        append(list.isTight() ? "\n" : "\n\n", style.quote() ? Style.NONE.withQuote() : Style.NONE);
                    }
                    firstItem = false;
                    append(list instanceof OrderedList ? number++ + ". " : "• ", style);
                    if (item instanceof ListItem) {
                        blocks(item, style, "\n");
                    }
                }
            } else if (node instanceof FencedCodeBlock fenced) {
                String info = fenced.getInfo() == null ? "" : fenced.getInfo().trim();
                String language = info.isEmpty() ? "" : info.split("\\s+")[0];
                append(stripFinalNewline(fenced.getLiteral()), style.withPre(language));
            } else if (node instanceof IndentedCodeBlock indented) {
                append(stripFinalNewline(indented.getLiteral()), style.withPre(""));
            } else if (node instanceof ThematicBreak) {
                append("———", style);
            } else if (node instanceof HtmlBlock html) {
                append(stripFinalNewline(html.getLiteral()), style);
            } else {
                inlines(node, style);
            }
        }

        private void inlines(Node parent, Style style) {
            for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
                inline(node, style);
            }
        }

        private void inline(Node node, Style style) {
            if (node instanceof Text text) {
                append(text.getLiteral(), style);
            } else if (node instanceof Code code) {
                append(code.getLiteral(), style.withCode());
            } else if (node instanceof Emphasis) {
                inlines(node, style.withItalic());
            } else if (node instanceof StrongEmphasis) {
                inlines(node, style.withBold());
            } else if (node instanceof Strikethrough) {
                inlines(node, style.withStrike());
            } else if (node instanceof Link link) {
                String url = Objects.requireNonNullElse(link.getDestination(), "");
                if (linkable(url)) {
                    inlines(node, style.withLink(url));
                } else {
                    inlines(node, style);
                }
            } else if (node instanceof Image image) {
                String url = Objects.requireNonNullElse(image.getDestination(), "");
                Style linkStyle = linkable(url) ? style.withLink(url) : style;
                if (image.getFirstChild() == null) {
                    append(url.isEmpty() ? "image" : url, linkStyle);
                } else {
                    inlines(node, linkStyle);
                }
            } else if (node instanceof SoftLineBreak || node instanceof HardLineBreak) {
                // Chat users mean a new line when they type one, unlike CommonMark's soft break.
                append("\n", style);
            } else if (node instanceof HtmlInline html) {
                append(html.getLiteral(), style);
            } else {
                inlines(node, style);
            }
        }

        private static String stripFinalNewline(String text) {
            return text != null && text.endsWith("\n") ? text.substring(0, text.length() - 1) : Objects.requireNonNullElse(text, "");
        }
    }
}
