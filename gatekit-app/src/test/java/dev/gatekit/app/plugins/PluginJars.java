package dev.gatekit.app.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
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

    /**
     * A temporary plugins directory holding built plugin jars, each named by the system property the
     * build sets ({@code gatekit.test.telegramPluginJar}, say).
     */
    public static Path folderWith(String... jarProperties) {
        try {
            Path dir = Files.createTempDirectory("gatekit-plugins-");
            for (String jarProperty : jarProperties) {
                Path jar = Path.of(System.getProperty(jarProperty));
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return copyWebhook(target, manifest, (name, jar) -> {
            if (descriptorVersion != null && name.endsWith("/webhook-plugin.properties")) {
                jar.write(("version=" + descriptorVersion + "\n").getBytes(StandardCharsets.UTF_8));
                return true;
            }
            return false;
        }, List.of());
    }

    /**
     * Copies the webhook jar to {@code target} with {@code extension} (the name of a test class
     * compiled against the webhook plugin: a provider wrapping the real one) as the plugin's extension
     * instead, and {@code classes} (its helpers) added. The real plugin's code still does every send.
     * Names, not classes: the test's own class path lacks the plugin, so those classes load only inside it.
     */
    public static Path webhookWithExtension(Path target, Map<String, String> manifest, String extension, String... classes) {
        List<String> added = new ArrayList<>(List.of(classes));
        added.add(extension);
        return copyWebhook(target, manifest, (name, jar) -> {
            if (name.equals(EXTENSIONS_INDEX)) {
                jar.write((extension + "\n").getBytes(StandardCharsets.UTF_8));
                return true;
            }
            return false;
        }, added);
    }

    private static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";

    /** Writes an entry's content itself and answers true, or answers false to copy the original. */
    @FunctionalInterface
    private interface EntryRewrite {
        boolean rewrite(String name, JarOutputStream jar) throws IOException;
    }

    private static Path copyWebhook(Path target, Map<String, String> manifest, EntryRewrite rewrite, List<String> added) {
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
                    if (!rewrite.rewrite(entry.getName(), jar)) {
                        try (InputStream in = source.getInputStream(entry)) {
                            in.transferTo(jar);
                        }
                    }
                    jar.closeEntry();
                }
                for (String type : added) {
                    String resource = type.replace('.', '/') + ".class";
                    jar.putNextEntry(new JarEntry(resource));
                    try (InputStream in = PluginJars.class.getClassLoader().getResourceAsStream(resource)) {
                        in.transferTo(jar);
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
