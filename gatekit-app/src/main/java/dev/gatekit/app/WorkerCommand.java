package dev.gatekit.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.EnvironmentCommand;
import io.dropwizard.core.setup.Environment;
import java.util.concurrent.CountDownLatch;
import net.sourceforge.argparse4j.inf.Namespace;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar gatekit-app.jar worker config.yml}: delivery only, no HTTP, for scaling delivery
 * apart from the API. It runs the same managed objects as the server (plugins, sweeper, workers)
 * and stops them, draining in-flight deliveries, on SIGTERM.
 */
public class WorkerCommand extends EnvironmentCommand<GateKitConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

    public WorkerCommand(Application<GateKitConfiguration> application) {
        super(application, "worker", "Runs delivery workers without the HTTP API");
    }

    @Override
    protected void run(Environment environment, Namespace namespace, GateKitConfiguration configuration) throws Exception {
        ContainerLifeCycle managed = new ContainerLifeCycle();
        environment.lifecycle().attach(managed);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                managed.stop();
            } catch (Exception e) {
                LOG.warn("Worker did not stop cleanly: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }, "gatekit-worker-shutdown"));
        managed.start();
        LOG.info("GateKit worker started");
        stopped.await();
    }
}
