package dev.gatekit.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MrkdwnTest {

    @Test
    void escapesSlacksControlCharacters() {
        assertThat(Mrkdwn.escape("<!here> & <@U1> <https://evil|click>"))
                .isEqualTo("&lt;!here&gt; &amp; &lt;@U1&gt; &lt;https://evil|click&gt;");
    }

    @Test
    void rawHtmlAndMentionsInMarkdownStayText() {
        assertThat(Mrkdwn.fromMarkdown("<!channel> <b>hi</b>")).isEqualTo("&lt;!channel&gt; &lt;b&gt;hi&lt;/b&gt;");
    }

    @Test
    void onlyWebLinksBecomeSlackLinks() {
        assertThat(Mrkdwn.fromMarkdown("[a](javascript:alert(1)) [b](mailto:x@example.com) [c|d](https://x.example/a|b)"))
                .isEqualTo("a <mailto:x@example.com|b> <https://x.example/a%7Cb|c\u2223d>");
    }

    @Test
    void codeBlocksQuotesAndNumberedLists() {
        assertThat(Mrkdwn.fromMarkdown("```\nif (a < b) {}\n```\n\n> quoted\n\n3. three\n4. four"))
                .isEqualTo("```if (a &lt; b) {}```\n\n> quoted\n\n3. three\n4. four");
    }

    @Test
    void splitsAtParagraphsThenLinesThenSpacesThenHard() {
        assertThat(Mrkdwn.split("aaaa\n\nbbbb", 6)).containsExactly("aaaa", "bbbb");
        assertThat(Mrkdwn.split("aaaa\nbbbb", 6)).containsExactly("aaaa", "bbbb");
        assertThat(Mrkdwn.split("aaaa bbbb", 6)).containsExactly("aaaa", "bbbb");
        assertThat(Mrkdwn.split("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
    }

    @Test
    void neverCutsACodeBlockInHalf() {
        String intro = "Deploy log follows, read it all before you approve the release";
        String code = "```step one ok\nstep two ok\nstep three ok```";

        List<String> parts = Mrkdwn.split(intro + "\n" + code + "\nthanks", 80);

        assertThat(parts).containsExactly(intro, code + "\nthanks");
    }

    @Test
    void aCodeBlockLongerThanAPartIsClosedAndOpenedAgainInEachPart() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            lines.append(i == 1 ? "" : "\n").append("line ").append(i).append(" of the stack trace");
        }
        String code = "```" + lines + "```";

        List<String> parts = Mrkdwn.split(code, 200);

        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(200);
            assertThat(part).startsWith("```").endsWith("```");
            assertThat(part.split("```", -1)).as(part).hasSize(3);
        });
        String joined = String.join("\n", parts.stream().map(part -> part.substring(3, part.length() - 3)).toList());
        assertThat(joined).isEqualTo(lines.toString());
    }

    @Test
    void neverSplitsASurrogatePairOrAnEscape() {
        List<String> emoji = Mrkdwn.split("abc\uD83D\uDE00def", 4);
        assertThat(emoji).containsExactly("abc", "\uD83D\uDE00de", "f");
        assertThat(Mrkdwn.split("abcdefg&amp;hij", 10)).first().isEqualTo("abcdefg");
        assertThat(String.join("", Mrkdwn.split("abcdefg&amp;hij", 10))).isEqualTo("abcdefg&amp;hij");
    }
}
