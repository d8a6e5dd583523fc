package dev.gatekit.app;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's {@code server} command, except that a {@link StartupFailure} prints one line, not a stack trace. */
public class GateKitServerCommand extends ServerCommand<GateKitConfiguration> {

    public GateKitServerCommand(Application<GateKitConfiguration> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StartupFailure failure) {
                cli.getStdErr().println("GateKit cannot start: " + failure.getMessage());
                cli.getStdErr().flush();
                return;
            }
        }
        super.onError(cli, namespace, error);
    }
}
