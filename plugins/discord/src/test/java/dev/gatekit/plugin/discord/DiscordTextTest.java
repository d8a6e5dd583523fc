package dev.gatekit.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import net.dv8tion.jda.api.entities.Message.MentionType;
import org.junit.jupiter.api.Test;

class DiscordTextTest {

    @Test
    void plainTextHasEveryMarkdownCharacterEscapedButLinksStayLinks() {
        assertThat(DiscordText.escapeMarkdown("# _a_ *b* ~~c~~ `d` > e [f](g) ||h|| https://x.example/a_b?c=*d*"))
                .isEqualTo("\\# \\_a\\_ \\*b\\* \\~\\~c\\~\\~ \\`d\\` \\> e \\[f\\]\\(g\\) \\|\\|h\\|\\| https://x.example/a_b?c=*d*");
    }

    @Test
    void mentionsAreNeutralizedUnlessAllowed() {
        String text = "@everyone @here <@123> <@!456> <@&789>";
        assertThat(DiscordText.neutralizeMentions(text, EnumSet.noneOf(MentionType.class)))
                .isEqualTo("@\u200Beveryone @\u200Bhere <@\u200B123> <@\u200B!456> <@\u200B&789>");
        assertThat(DiscordText.neutralizeMentions(text, EnumSet.of(MentionType.USER, MentionType.ROLE)))
                .isEqualTo("@\u200Beveryone @\u200Bhere <@123> <@!456> <@&789>");
        assertThat(DiscordText.neutralizeMentions(text, EnumSet.allOf(MentionType.class))).isEqualTo(text);
    }

    @Test
    void splitsAtParagraphsThenLinesThenSpacesThenHard() {
        assertThat(DiscordText.split("short", 2000)).containsExactly("short");
        assertThat(DiscordText.split("a".repeat(30) + "\n\n" + "b".repeat(30), 40)).containsExactly("a".repeat(30), "b".repeat(30));
        assertThat(DiscordText.split("a".repeat(30) + "\n" + "b".repeat(30), 40)).containsExactly("a".repeat(30), "b".repeat(30));
        assertThat(DiscordText.split("a".repeat(30) + " " + "b".repeat(30), 40)).containsExactly("a".repeat(30), "b".repeat(30));
        List<String> hard = DiscordText.split("x".repeat(100), 40);
        assertThat(hard).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(40));
        assertThat(String.join("", hard)).isEqualTo("x".repeat(100));
    }

    @Test
    void neverSplitsASurrogatePairOrAnEscapeAndReopensACodeBlockCutInTwo() {
        String emoji = "😀".repeat(40);
        assertThat(DiscordText.split(emoji, 41)).allSatisfy(part -> assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse());
        String escaped = DiscordText.escapeMarkdown("*".repeat(60));
        assertThat(DiscordText.split(escaped, 41)).allSatisfy(part -> assertThat(part).startsWith("\\*"));
        List<String> code = DiscordText.split("```\n" + "line of code\n".repeat(10) + "```", 60);
        assertThat(code).hasSizeGreaterThan(1).allSatisfy(part -> {
            assertThat(part.length()).isLessThanOrEqualTo(60);
            assertThat(part.split("```", -1).length % 2).as("balanced fences in %s", part).isEqualTo(1);
        });
    }
}
