package dev.gatekit.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where plugins load from when nobody says: beside the application, where the build puts them. */
class PluginsDirectoryTest {

    @Test
    void withoutADirectoryThePluginsFolderBesideTheApplicationIsUsedWhichTheBuildFills() throws IOException {
        GateKitConfiguration.PluginSettings settings = new GateKitConfiguration.PluginSettings();

        Path directory = settings.directoryPath();

        // Run from the build, the application is target/classes: its plugins folder is target/plugins.
        assertThat(directory.toAbsolutePath().normalize()).isEqualTo(Path.of("target", "plugins").toAbsolutePath().normalize());
        assertThat(directory.resolve("telegram-plugin.jar")).exists();
        assertThat(directory.resolve("slack-plugin.jar")).exists();
        try (var jars = Files.list(directory)) {
            assertThat(jars.map(jar -> jar.getFileName().toString()))
                    .as("only the runnable jars, never the shade plugin's original-*.jar")
                    .containsExactlyInAnyOrder("webhook-plugin.jar", "telegram-plugin.jar", "slack-plugin.jar",
                            "whatsapp-plugin.jar", "discord-plugin.jar");
        }
    }

    @Test
    void aDirectoryGivenIsUsedAsGiven() {
        GateKitConfiguration.PluginSettings settings = new GateKitConfiguration.PluginSettings();
        settings.directory = "/opt/gatekit/plugins";

        assertThat(settings.directoryPath()).isEqualTo(Path.of("/opt/gatekit/plugins"));
    }
}
