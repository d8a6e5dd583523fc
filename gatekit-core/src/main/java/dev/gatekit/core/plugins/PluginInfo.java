package dev.gatekit.core.plugins;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One plugin as the host sees it, for the {@code plugins} admin task.
 *
 * @param state   {@code STARTED}, {@code REFUSED} (incompatible API, platform id already served,
 *                plugin id already loaded), {@code FAILED} (not a plugin, threw at start) or
 *                {@code UNLOADED} (by an operator, jar still in the directory)
 * @param problem why it is not serving; null when started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PluginInfo(String id, String version, String state, String path, List<String> platforms, String problem) {
}
