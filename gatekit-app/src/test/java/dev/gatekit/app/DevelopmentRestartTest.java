package dev.gatekit.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's development mode run as a user runs it ({@code server config.yml}, nothing set),
 * in processes of their own: what it prints at start, a second start on the same folder, and a
 * start after the first was killed with kill -9 and left its embedded Postgres and Redis running.
 */
class DevelopmentRestartTest {

    static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path dataDirectory;
    @TempDir
    Path plugins;

    private Map<String, String> development() {
        return Map.of("GATEKIT_ENV", "development", "GATEKIT_DATA_DIR", dataDirectory.toString(),
                "GATEKIT_PLUGINS_DIR", plugins.toString(), "PORT", "0", "ADMIN_PORT", "0");
    }

    @Test
    void theStartLogIsOneReadyLineWithoutBannersOrWarningsOfLibraries() throws Exception {
        try (ServerProcess server = ServerProcess.start("quiet-start", development())) {
            String url = server.awaitReady(START);

            String output = server.output();
            assertThat(output.lines().filter(line -> line.contains("ready at http://")).count()).as(output).isEqualTo(1);
            assertThat(url).startsWith("http://localhost:");
            assertThat(output).as("Liquibase's console banner").doesNotContain("UPDATE SUMMARY").doesNotContain("Running Changeset")
                    .doesNotContain("Update has been successful");
            assertThat(output).as("logback's status dump").doesNotContain("|-WARN").doesNotContain("|-INFO");
            assertThat(output).as("every route listed").doesNotContain("The following paths were found");
        }
    }

    @Test
    void aSecondStartIsToldInOneLineAndAStartAfterKillMinus9StopsTheStaleServers() throws Exception {
        ServerProcess first = ServerProcess.start("first", development());
        try {
            first.awaitReady(START);

            try (ServerProcess second = ServerProcess.start("second", development())) {
                assertThat(second.awaitExit(START)).isNotZero();
                String output = second.output();
                assertThat(output.lines().filter(line -> line.startsWith("GateKit cannot start:")).toList()).as(output)
                        .containsExactly("GateKit cannot start: Another GateKit (pid " + first.pid() + ") is running in development mode on "
                                + dataDirectory + "; stop it first, or give this one its own folder with GATEKIT_DATA_DIR"
                                + " (or set DATABASE_URL and REDIS_URL)");
                assertThat(output).doesNotContain("\tat ");
            }
        } finally {
            first.kill();
        }
        ProcessHandle stalePostgres = alive(dataDirectory.resolve("postgres/postmaster.pid"));
        ProcessHandle staleRedis = alive(dataDirectory.resolve("redis/redis.pid"));

        try (ServerProcess third = ServerProcess.start("third", development())) {
            String url = third.awaitReady(START);

            assertThat(stalePostgres.isAlive()).isFalse();
            assertThat(staleRedis.isAlive()).isFalse();
            assertThat(third.output()).contains("embedded postgres (pid " + stalePostgres.pid() + ")")
                    .contains("embedded redis (pid " + staleRedis.pid() + ")");
            assertThat(new Api(url, null).get("/api/v1/health", null).status()).isEqualTo(200);
        }
    }

    /** The process a pid file names, which must still run: what kill -9 of its parent left behind. */
    private static ProcessHandle alive(Path pidFile) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        assertThat(process).as("the embedded server of the killed run, pid " + pid).isPresent();
        return process.get();
    }
}
