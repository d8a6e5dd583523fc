/**
 * The GateKit plugin API: the one artifact a third-party platform plugin compiles against.
 *
 * <p>A plugin implements {@link dev.gatekit.plugin.api.PlatformProvider} (a PF4J extension
 * point, annotated {@code @org.pf4j.Extension}). The host asks the provider for its
 * {@link dev.gatekit.plugin.api.PlatformDescriptor}, validates a project's configuration with it
 * and opens one {@link dev.gatekit.plugin.api.PlatformClient} per platform configuration. The
 * client sends {@link dev.gatekit.plugin.api.OutboundMessage}s, turns the platform's webhooks into
 * {@link dev.gatekit.plugin.api.InboundEvent}s and reports its health.
 *
 * <p>Everything here is JDK types, records and enums; no framework type appears. The package is
 * versioned semantically ({@link dev.gatekit.plugin.api.GateKitPluginApi#VERSION}); parts marked
 * {@link dev.gatekit.plugin.api.Experimental} may still change in a minor release.
 */
package dev.gatekit.plugin.api;
