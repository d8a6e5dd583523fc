package dev.gatekit.plugin.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
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
 * Slack's {@code mrkdwn}: escaping, rendering CommonMark into it, and splitting long text.
 *
 * <p>Slack gives {@code &}, {@code <} and {@code >} a meaning ({@code <@U123>}, {@code <!channel>},
 * {@code <url|label>}), so every piece of user text has them escaped as {@code &amp;}, {@code &lt;}
 * and {@code &gt;}: a message can never mention {@code @channel} or forge a link by accident or on
 * purpose. Markdown maps onto mrkdwn: {@code **b**} to {@code *b*}, {@code *i*} to {@code _i_},
 * {@code ~~s~~} to {@code ~s~}, code and code blocks as they are, links to {@code <url|label>}
 * (http, https and mailto only; other links stay text), headings to bold lines, lists to
 * {@code •} and {@code 1.} lines, quotes to {@code >} lines. Slack has no escape for {@code *},
 * {@code _} and {@code ~}, so those characters in user text may still format.
 */
final class Mrkdwn {

    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(StrikethroughExtension.create()))
            .build();

    private Mrkdwn() {
    }

    /** Escapes Slack's three control characters; the only escaping Slack defines. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
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

    /** Renders CommonMark (with {@code ~~strikethrough~~}) as mrkdwn, all text escaped. */
    static String fromMarkdown(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return "";
        }
        Renderer renderer = new Renderer();
        PARSER.parse(markdown).accept(renderer);
        return renderer.result();
    }

    /** A link as Slack writes it, or the escaped label alone when the URL is not http(s) or mailto. */
    static String link(String url, String label) {
        String text = label == null || label.isBlank() ? url : label;
        if (!isWebLink(url)) {
            return escape(text);
        }
        // The URL may not contain '|' or '>' unescaped; escaping &<> and percent-encoding '|' keeps it one link.
        String target = escape(url.trim()).replace("|", "%7C");
        return "<" + target + "|" + escape(text).replace("|", "\u2223") + ">";
    }

    static boolean isWebLink(String url) {
        String scheme = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        return scheme.startsWith("http://") || scheme.startsWith("https://") || scheme.startsWith("mailto:");
    }

    /**
     * Splits text into parts of at most {@code limit} characters, at the last paragraph break that
     * fits, else line break, else space, else hard at the limit; never inside a surrogate pair, an
     * {@code &amp;}-style escape or a {@code <...>} link. Never inside a code block either: a part
     * ends before a {@code ```} fence that would be left open; a code block that alone is longer
     * than a part is closed at the cut and opened again in the next part.
     */
    static List<String> split(String text, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = text == null ? "" : text.strip();
        while (rest.length() > limit) {
            int cut = breakAt(rest, limit);
            int fence = openFenceBefore(rest, cut);
            String part;
            if (fence > limit / 4) {
                // The code block starts the next part.
                cut = fence;
                part = rest.substring(0, cut).stripTrailing();
                rest = rest.substring(cut);
            } else if (fence >= 0) {
                // The code block is too long for any part: close it here and open it again in the next
                // (mrkdwn fences carry no language; the code starts right after the fence, as Renderer writes it).
                cut = breakAt(rest, limit - FENCE.length());
                part = rest.substring(0, cut).stripTrailing() + FENCE;
                rest = FENCE + rest.substring(rest.startsWith("\n", cut) ? cut + 1 : cut);
            } else {
                part = rest.substring(0, cut).stripTrailing();
                rest = rest.substring(cut).stripLeading();
            }
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        if (!rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    private static final String FENCE = "```";

    /** Where the code block left open at {@code cut} starts (its opening fence), or -1 when none is open there. */
    private static int openFenceBefore(String text, int cut) {
        int open = -1;
        for (int at = text.indexOf(FENCE); at >= 0 && at < cut; at = text.indexOf(FENCE, at + FENCE.length())) {
            open = open < 0 ? at : -1;
        }
        return open;
    }

    private static int breakAt(String text, int limit) {
        String window = text.substring(0, limit + 1);
        int paragraph = window.lastIndexOf("\n\n");
        if (paragraph > limit / 4) {
            return paragraph;
        }
        int line = window.lastIndexOf('\n');
        if (line > limit / 4) {
            return line;
        }
        int space = window.lastIndexOf(' ');
        if (space > limit / 4) {
            return space;
        }
        int cut = limit;
        if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        int amp = text.lastIndexOf('&', cut - 1);
        if (amp >= 0 && amp > cut - 6 && text.indexOf(';', amp) >= cut && amp > 0) {
            cut = amp;
        }
        int open = text.lastIndexOf('<', cut - 1);
        if (open > 0 && text.lastIndexOf('>', cut - 1) < open && open > limit / 4) {
            cut = open;
        }
        return cut;
    }

    /** Walks the CommonMark tree and writes mrkdwn. */
    private static final class Renderer extends AbstractVisitor {

        private final StringBuilder out = new StringBuilder();
        /** What starts each line inside the current block quotes and list items. */
        private String linePrefix = "";

        String result() {
            return out.toString().strip();
        }

        private void newline() {
            out.append('\n').append(linePrefix);
        }

        private void endBlock(Node node) {
            if (node.getNext() != null) {
                newline();
                if (!(node.getParent() instanceof ListItem)) {
                    newline();
                }
            }
        }

        @Override
        public void visit(Paragraph paragraph) {
            visitChildren(paragraph);
            endBlock(paragraph);
        }

        @Override
        public void visit(Heading heading) {
            out.append('*');
            visitChildren(heading);
            out.append('*');
            endBlock(heading);
        }

        @Override
        public void visit(Text text) {
            out.append(escape(text.getLiteral()));
        }

        @Override
        public void visit(StrongEmphasis strong) {
            out.append('*');
            visitChildren(strong);
            out.append('*');
        }

        @Override
        public void visit(Emphasis emphasis) {
            out.append('_');
            visitChildren(emphasis);
            out.append('_');
        }

        @Override
        public void visit(CustomNode node) {
            if (node instanceof Strikethrough) {
                out.append('~');
                visitChildren(node);
                out.append('~');
            } else {
                visitChildren(node);
            }
        }

        @Override
        public void visit(Code code) {
            out.append('`').append(escape(code.getLiteral().replace("`", "'"))).append('`');
        }

        @Override
        public void visit(FencedCodeBlock block) {
            codeBlock(block.getLiteral(), block);
        }

        @Override
        public void visit(IndentedCodeBlock block) {
            codeBlock(block.getLiteral(), block);
        }

        private void codeBlock(String literal, Node node) {
            String body = escape(literal.replace("```", "'''")).stripTrailing();
            out.append("```");
            String[] lines = body.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    newline();
                }
                out.append(lines[i]);
            }
            out.append("```");
            endBlock(node);
        }

        @Override
        public void visit(Link link) {
            String url = link.getDestination();
            if (isWebLink(url)) {
                out.append(link(url, plainText(link)));
            } else {
                visitChildren(link);
            }
        }

        @Override
        public void visit(Image image) {
            String alt = plainText(image);
            out.append(link(image.getDestination(), alt.isBlank() ? image.getDestination() : alt));
        }

        @Override
        public void visit(BulletList list) {
            renderItems(list, false, 1);
            endBlock(list);
        }

        @Override
        public void visit(OrderedList list) {
            Integer start = list.getMarkerStartNumber();
            renderItems(list, true, start == null ? 1 : start);
            endBlock(list);
        }

        private void renderItems(Node list, boolean ordered, int start) {
            int number = start;
            String outer = linePrefix;
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                String marker = ordered ? (number++) + ". " : "\u2022 ";
                out.append(marker);
                linePrefix = outer + " ".repeat(marker.length());
                visitChildren(item);
                linePrefix = outer;
                if (item.getNext() != null) {
                    newline();
                }
            }
        }

        @Override
        public void visit(BlockQuote quote) {
            String outer = linePrefix;
            linePrefix = outer + "> ";
            out.append("> ");
            visitChildren(quote);
            linePrefix = outer;
            endBlock(quote);
        }

        @Override
        public void visit(SoftLineBreak lineBreak) {
            newline();
        }

        @Override
        public void visit(HardLineBreak lineBreak) {
            newline();
        }

        @Override
        public void visit(ThematicBreak thematicBreak) {
            out.append("\u2014\u2014\u2014");
            endBlock(thematicBreak);
        }

        @Override
        public void visit(HtmlInline html) {
            out.append(escape(html.getLiteral()));
        }

        @Override
        public void visit(HtmlBlock html) {
            out.append(escape(html.getLiteral().strip()));
            endBlock(html);
        }

        private static String plainText(Node node) {
            StringBuilder text = new StringBuilder();
            node.accept(new AbstractVisitor() {
                @Override
                public void visit(Text t) {
                    text.append(t.getLiteral());
                }

                @Override
                public void visit(Code code) {
                    text.append(code.getLiteral());
                }
            });
            return text.toString();
        }
    }
}
