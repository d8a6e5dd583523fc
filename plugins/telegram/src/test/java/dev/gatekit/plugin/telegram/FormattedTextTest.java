package dev.gatekit.plugin.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.telegram.TelegramSettings.ParseMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormattedTextTest {

    @Test
    void everyMarkdownV2SpecialIsEscapedInPlainRuns() {
        String specials = "_*[]()~`>#+-=|{}.!\\";
        String rendered = FormattedText.plain(specials).render(ParseMode.MARKDOWN_V2);
        assertThat(rendered).isEqualTo("\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\");
        assertThat(MarkdownV2.visibleText(rendered)).isEqualTo(specials);
    }

    @Test
    void codeEscapesOnlyBacktickAndBackslash() {
        assertThat(FormattedText.markdown("`a_b*c\\d`").render(ParseMode.MARKDOWN_V2)).isEqualTo("`a_b*c\\\\d`");
        assertThat(FormattedText.markdown("```\nx `y` z.\n```").render(ParseMode.MARKDOWN_V2)).isEqualTo("```\nx \\`y\\` z.\n```");
    }

    @Test
    void htmlEscapesOnlyWhatHtmlNeeds() {
        assertThat(FormattedText.plain("a<b & c>d _*").render(ParseMode.HTML)).isEqualTo("a&lt;b &amp; c&gt;d _*");
    }

    @Test
    void italicClosingBeforeUnderlineIsSeparated() {
        FormattedText text = FormattedText.html("<u>under <i>both</i></u>");
        assertThat(text.render(ParseMode.MARKDOWN_V2)).isEqualTo("__under _both_\r__");
        assertThat(text.render(ParseMode.HTML)).isEqualTo("<u>under <i>both</i></u>");
    }

    @Test
    void quotesAreMarkedOnEveryLineInMarkdownV2() {
        assertThat(FormattedText.markdown("> one\n> two\n\nafter").render(ParseMode.MARKDOWN_V2)).isEqualTo(">one\n>two\n\nafter");
    }

    @Test
    void linksThatTelegramCannotOpenStayText() {
        assertThat(FormattedText.markdown("[here](javascript:alert(1)) [ok](https://a.test)").render(ParseMode.HTML))
                .isEqualTo("here <a href=\"https://a.test\">ok</a>");
    }

    @Test
    void splittingPrefersParagraphsThenLinesThenWords() {
        String a = "a".repeat(60);
        String b = "b".repeat(30);
        assertThat(texts(FormattedText.plain(a + "\n\n" + b + "\n" + b).split(100))).containsExactly(a, b + "\n" + b);
        assertThat(texts(FormattedText.plain(b + "\n" + a + " " + b).split(100))).containsExactly(b, a + " " + b);
        assertThat(texts(FormattedText.plain(a + " " + b + " " + b).split(100))).containsExactly(a + " " + b, b);
        assertThat(texts(FormattedText.plain("x".repeat(250)).split(100))).containsExactly("x".repeat(100), "x".repeat(100), "x".repeat(50));
    }

    @Test
    void splittingNeverCutsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String text = "x".repeat(99) + emoji + "y";
        List<FormattedText> parts = FormattedText.plain(text).split(100);
        assertThat(texts(parts)).containsExactly("x".repeat(99), emoji + "y");
    }

    @Test
    void splitPartsKeepTheirStyles() {
        List<FormattedText> parts = FormattedText.markdown("**" + "bold ".repeat(30).trim() + "** tail").split(100);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).render(ParseMode.HTML)).startsWith("<b>").endsWith("</b>");
        assertThat(parts.get(1).render(ParseMode.HTML)).startsWith("<b>").endsWith("</b> tail");
    }

    private static List<String> texts(List<FormattedText> parts) {
        return parts.stream().map(FormattedText::visibleText).toList();
    }
}
