package dev.gatekit.plugin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * Facts about this plugin API release that both the host and a plugin build rely on.
 */
public final class GateKitPluginApi {

    /**
     * The semantic version of this API, for example {@code 1.0.0}. A plugin declares the range of
     * API versions it works with in its {@code Plugin-Requires} manifest entry, such as
     * {@code >=1.0.0 & <2.0.0}; the host refuses a plugin whose range excludes this version.
     */
    public static final String VERSION = readVersion();

    /**
     * Package prefixes whose classes a plugin always gets from the host, never from its own jar:
     * the JDK, PF4J, this API and SLF4J. Every other class is looked up in the plugin first, so a
     * plugin may bundle any library version it likes. A plugin that bundles a class from one of
     * these packages anyway never sees its own copy.
     */
    public static final List<String> HOST_FIRST_PACKAGES =
            List.of("java.", "org.pf4j.", "dev.gatekit.plugin.api.", "org.slf4j.");

    private GateKitPluginApi() {
    }

    /**
     * Tells whether a class must be loaded from the host rather than from a plugin.
     *
     * @param className a binary class name such as {@code org.slf4j.Logger}
     * @return true when the name starts with one of {@link #HOST_FIRST_PACKAGES}
     */
    public static boolean isHostFirst(String className) {
        for (String prefix : HOST_FIRST_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String readVersion() {
        try (InputStream in = GateKitPluginApi.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/gatekit/plugin/api/version.properties is missing");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank() || version.startsWith("${")) {
                throw new IllegalStateException("version.properties was not filtered: " + version);
            }
            return version.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
