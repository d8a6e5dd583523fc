package dev.gatekit.app.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code worker} process ({@code java … GateKitApplication worker config.yml}) on the test's
 * database, Redis prefix and plugins, so a test can kill it with SIGKILL mid-send.
 */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(String name, String redisPrefix, Path pluginsDirectory, int leaseSeconds) {
        try {
            Path directory = Files.createTempDirectory("gatekit-worker-");
            Path config = directory.resolve("worker.yml");
            Files.writeString(config, """
                    environment: test
                    database:
                      url: "%s"
                      migrateOnStart: false
                      maxConnections: 6
                    redis:
                      url: "%s"
                      keyPrefix: "%s"
                    encryption:
                      key: "%s"
                    plugins:
                      directory: "%s"
                      pollIntervalMillis: 200
                      allowPrivateAddresses: true
                    queue:
                      workers: 4
                      leaseSeconds: %d
                      sweepIntervalMillis: 500
                      instanceSilenceSeconds: 3
                      baseRetryDelayMillis: 100
                      maxRetryDelaySeconds: 1
                    server:
                      applicationConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                      adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
                    logging:
                      level: INFO
                    """.formatted(TestInfrastructure.databaseUrl(), TestInfrastructure.REDIS_URL, redisPrefix, TestApp.ENCRYPTION_KEY,
                    pluginsDirectory, leaseSeconds));
            Path log = Path.of("target", "worker-" + name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
            Files.createDirectories(log.getParent());
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(javaBinary, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "dev.gatekit.app.GateKitApplication", "worker", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            WorkerProcess worker = new WorkerProcess(process, log);
            Poll.until(java.time.Duration.ofSeconds(60), () -> worker.logContains("GateKit worker started") || !process.isAlive());
            if (!process.isAlive()) {
                throw new IllegalStateException("Worker exited at start; see " + log.toAbsolutePath() + ":\n" + Files.readString(log));
            }
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook runs, in-flight sends are abandoned mid-way. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public File log() {
        return log.toFile();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
