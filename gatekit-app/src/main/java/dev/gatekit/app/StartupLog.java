package dev.gatekit.app;

import ch.qos.logback.access.jetty.RequestLogImpl;
import io.dropwizard.core.setup.Environment;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the server says as it starts: one line when it is ready, and nothing that is not news. */
final class StartupLog {

    private static final Logger LOG = LoggerFactory.getLogger(GateKitApplication.class);

    private StartupLog() {
    }

    static void register(Environment environment, GateKitConfiguration config) {
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                // In the shaded jar the logback-access jars' manifests are gone, so its version check
                // finds "?" and prints a status dump with warnings on every start; they say nothing true.
                if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl requestLog) {
                    requestLog.setQuiet(true);
                }
            }
        });
        environment.lifecycle().addServerLifecycleListener(server -> LOG.info("GateKit {} ready at {} (admin tasks at {}/tasks, {} environment)",
                GateKitApplication.version(), urlOf(server, "application"), urlOf(server, "admin"), config.getEnvironment()));
    }

    /** The URL a connector answers on; one bound to every address is reached at localhost. */
    private static String urlOf(Server server, String connectorName) {
        for (var connector : server.getConnectors()) {
            if (connectorName.equals(connector.getName()) && connector instanceof NetworkConnector network) {
                String host = network.getHost() == null || network.getHost().isBlank() || network.getHost().equals("0.0.0.0")
                        ? "localhost" : network.getHost();
                return "http://" + host + ":" + network.getLocalPort();
            }
        }
        return "(no " + connectorName + " connector)";
    }
}
