package dev.gatekit.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Docker cannot run in every build, so the Docker files are checked by reading them against what
 * they must stay in step with: config.yml's settings and the reactor's modules.
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Settings compose leaves out on purpose: development mode's folder, and the older name of GATEKIT_ENV. */
    static final Set<String> NOT_FOR_COMPOSE = Set.of("GATEKIT_DATA_DIR", "NODE_ENV");

    @Test
    void composePassesEverySettingOfConfigYml() throws IOException {
        Set<String> settings = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+):-").matcher(Files.readString(ROOT.resolve("config.yml")));
        while (variable.find()) {
            settings.add(variable.group(1));
        }
        settings.removeAll(NOT_FOR_COMPOSE);
        JsonNode environment = compose().at("/services/app/environment");

        List<String> missing = settings.stream().filter(name -> !environment.has(name)).toList();

        assertThat(settings).hasSizeGreaterThan(30);
        assertThat(missing).as("settings of config.yml that docker-compose.yml does not pass").isEmpty();
    }

    @Test
    void theAdminPortIsPublishedOnLoopbackOnly() throws IOException {
        List<String> ports = new ArrayList<>();
        compose().at("/services/app/ports").forEach(port -> ports.add(port.asText()));

        assertThat(ports).anyMatch(port -> port.startsWith("127.0.0.1:") && port.contains("ADMIN_PORT"));
        assertThat(ports).filteredOn(port -> port.contains("ADMIN_PORT")).allMatch(port -> port.startsWith("127.0.0.1:"));
        assertThat(Files.readString(ROOT.resolve("Dockerfile"))).containsPattern("(?m)^EXPOSE 3000$").doesNotContain("EXPOSE 3000 3001");
    }

    @Test
    void theImageHasAHealthcheckAndADependencyLayerCoveringEveryModule() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("/api/v1/health").contains("go-offline");

        List<String> poms;
        try (Stream<Path> files = Files.walk(ROOT)) {
            poms = files.filter(path -> path.getFileName().toString().equals("pom.xml"))
                    .map(path -> ROOT.relativize(path).toString())
                    .filter(path -> !path.contains("target/") && !path.contains("src/"))
                    .toList();
        }
        int goOffline = dockerfile.indexOf("go-offline");
        for (String pom : poms) {
            int copied = dockerfile.indexOf("COPY " + pom + " ");
            assertThat(copied).as(pom + " copied before the dependency layer").isBetween(0, goOffline);
        }
    }

    @Test
    void dockerignoreLeavesOutBuildOutputDevelopmentDataAndHistory() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));

        assertThat(ignored).contains("**/target/", ".gatekit/", ".git/");
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }
}
