package dev.gatekit.core.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds small plugin jars inside the tests from compiled test classes, as PF4J's and Kafka's tests do. */
final class TestPluginJars {

    private TestPluginJars() {
    }

    /** A plugin jar: the manifest attributes given, the classes (with their inner classes), and an extensions index. */
    static Path plugin(Path jar, Map<String, String> manifestAttributes, Class<?> extension, Class<?>... more) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifestAttributes.forEach((name, value) -> manifest.getMainAttributes().put(new Attributes.Name(name), value));
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
                if (extension != null) {
                    zip.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                    zip.write((extension.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    addClass(zip, extension);
                }
                for (Class<?> type : more) {
                    addClass(zip, type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    static Map<String, String> manifest(String id, String version, String requires) {
        return Map.of("Plugin-Id", id, "Plugin-Version", version, "Plugin-Requires", requires);
    }

    private static void addClass(JarOutputStream zip, Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        zip.putNextEntry(new JarEntry(resource));
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
        // Anonymous and nested classes: AlphaProvider$1 and so on.
        for (int i = 1; ; i++) {
            String inner = type.getName().replace('.', '/') + "$" + i + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(inner)) {
                if (in == null) {
                    break;
                }
                zip.putNextEntry(new JarEntry(inner));
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
    }
}
