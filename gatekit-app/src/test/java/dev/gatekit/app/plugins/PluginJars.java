package dev.gatekit.app.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The real webhook plugin jar Maven built, and variants of it written by the tests. */
public final class PluginJars {

    private PluginJars() {
    }

    /** {@code target/plugins/webhook-plugin.jar}, copied there by maven-dependency-plugin. */
    public static Path webhookJar() {
        Path jar = Path.of(System.getProperty("gatekit.test.webhookPluginJar", "target/plugins/webhook-plugin.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The webhook plugin jar is missing at " + jar.toAbsolutePath()
                    + "; build it with: mvn -pl plugins/webhook -am install -DskipTests");
        }
        return jar;
    }

    /**
     * Copies the webhook jar to {@code target} with manifest attributes replaced (Plugin-Id,
     * Plugin-Version, Plugin-Requires…) and, if {@code descriptorVersion} is not null, the version
     * the provider's descriptor reports.
     */
    public static Path webhookVariant(Path target, Map<String, String> manifest, String descriptorVersion) {
        try (JarFile source = new JarFile(webhookJar().toFile())) {
            Manifest changed = new Manifest(source.getManifest());
            manifest.forEach((name, value) -> changed.getMainAttributes().put(new Attributes.Name(name), value));
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out, changed)) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME) || entry.getName().equals("META-INF/")) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    if (descriptorVersion != null && entry.getName().endsWith("/webhook-plugin.properties")) {
                        jar.write(("version=" + descriptorVersion + "\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        try (InputStream in = source.getInputStream(entry)) {
                            in.transferTo(jar);
                        }
                    }
                    jar.closeEntry();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
