package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.support.TestInfrastructure;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up refuses bad settings with one clear line and no stack trace, through the same
 * command line an operator runs ({@code java -jar gatekit-app.jar server config.yml}).
 */
class StartupFailureTest {

    @TempDir
    Path directory;

    private record Outcome(Optional<Throwable> error, String stderr) {
    }

    private Outcome runServer(String environment, String databaseUrl, String encryptionKey) throws IOException {
        Path config = directory.resolve("config.yml");
        Files.writeString(config, """
                environment: %s
                database:
                  url: "%s"
                redis:
                  url: "%s"
                  keyPrefix: "%s"
                encryption:
                  key: "%s"
                server:
                  applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                  adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                logging:
                  level: ERROR
                """.formatted(environment, databaseUrl, TestInfrastructure.REDIS_URL, TestInfrastructure.REDIS_PREFIX, encryptionKey));
        GateKitApplication application = new GateKitApplication() {
            @Override
            protected void onFatalError(Throwable t) {
                // The real application exits the JVM here.
            }
        };
        Bootstrap<GateKitConfiguration> bootstrap = new Bootstrap<>(application);
        application.addDefaultCommands(bootstrap);
        application.initialize(bootstrap);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Optional<Throwable> error = new Cli(new JarLocation(GateKitApplication.class), bootstrap,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run("server", config.toString());
        return new Outcome(error, stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void productionWithoutAnEncryptionKeyRefusesToStart() throws IOException {
        Outcome outcome = runServer("production", TestInfrastructure.databaseUrl(), "");

        assertThat(outcome.error()).isPresent();
        assertThat(outcome.stderr().trim()).isEqualTo(
                "GateKit cannot start: ENCRYPTION_KEY is not set; it is required in the production environment "
                        + "(generate one with: openssl rand -hex 32)");
    }

    @Test
    void aShortEncryptionKeyRefusesToStart() throws IOException {
        Outcome outcome = runServer("production", TestInfrastructure.databaseUrl(), "too-short-key");

        assertThat(outcome.error()).isPresent();
        assertThat(outcome.stderr().trim()).startsWith("GateKit cannot start: ENCRYPTION_KEY is too short: 13 characters")
                .doesNotContain("\n").doesNotContain("too-short-key");
    }

    @Test
    void anUnreachableDatabaseRefusesToStart() throws IOException {
        Outcome outcome = runServer("production", "postgresql://gatekit:secret@127.0.0.1:1/gatekit", "x".repeat(40));

        assertThat(outcome.error()).isPresent();
        assertThat(outcome.stderr().trim()).startsWith("GateKit cannot start: Cannot reach the database at 127.0.0.1:1/gatekit")
                .doesNotContain("\n").doesNotContain("secret");
    }

    @Test
    void productionWithoutADatabaseUrlRefusesToStart() throws IOException {
        Outcome outcome = runServer("production", "", "x".repeat(40));

        assertThat(outcome.stderr().trim()).isEqualTo("GateKit cannot start: DATABASE_URL is not set; it is required in the production environment");
    }
}
