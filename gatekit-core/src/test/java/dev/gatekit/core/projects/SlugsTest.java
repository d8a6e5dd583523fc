package dev.gatekit.core.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void namesBecomeUrlSafeSlugs() {
        assertThat(Slugs.fromName("My Café App!")).isEqualTo("my-cafe-app");
        assertThat(Slugs.fromName("  --Hello   World--  ")).isEqualTo("hello-world");
        assertThat(Slugs.fromName("日本語")).isEqualTo("project");
        assertThat(Slugs.fromName("x".repeat(100))).hasSize(48);
        assertThat(Slugs.VALID.matcher(Slugs.fromName("A/B\\C?D#E")).matches()).isTrue();
    }

    @Test
    void theFirstFreeSuffixIsTaken() {
        assertThat(Slugs.firstFree("app", List.of())).isEqualTo("app");
        assertThat(Slugs.firstFree("app", List.of("app", "app-2", "app-4"))).isEqualTo("app-3");
    }
}
