package dev.gatekit.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java … GateKitApplication server config.yml} in a process of its own, with the shipped
 * config.yml and the environment a user would set, so a test sees what a user sees on the console
 * and can kill it with SIGKILL.
 */
public final class ServerProcess implements AutoCloseable {

    /** The repository's config.yml, the one the README's run command uses. */
    public static final Path SHIPPED_CONFIG = Path.of("..", "config.yml").toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("ready at (http://\\S+)");

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the server with these environment variables (and none of the test's own GateKit settings). */
    public static ServerProcess start(String name, Map<String, String> environment) {
        try {
            Path log = Path.of("target", "server-" + name + "-" + System.nanoTime() + ".log");
            Files.createDirectories(log.getParent());
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(javaBinary, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "dev.gatekit.app.GateKitApplication", "server", SHIPPED_CONFIG.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("GATEKIT_") || List.of("DATABASE_URL", "REDIS_URL",
                    "ENCRYPTION_KEY", "NODE_ENV", "PORT", "ADMIN_PORT").contains(key));
            builder.environment().putAll(environment);
            return new ServerProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the "ready at http://…" line and returns that URL; fails with the log if the process ends first. */
    public String awaitReady(Duration deadline) {
        Poll.until(deadline, () -> readyUrl() != null || !process.isAlive());
        String url = readyUrl();
        if (url == null) {
            throw new IllegalStateException("The server did not get ready; its output:\n" + output());
        }
        return url;
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The server is still running; its output:\n" + output());
        }
        return process.exitValue();
    }

    private String readyUrl() {
        Matcher matcher = READY.matcher(output());
        return matcher.find() ? matcher.group(1) : null;
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook runs, so nothing it started is stopped. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
