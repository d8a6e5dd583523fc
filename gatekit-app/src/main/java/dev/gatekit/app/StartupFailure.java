package dev.gatekit.app;

/** A reason GateKit refuses to start, printed as one line without a stack trace. */
public class StartupFailure extends RuntimeException {

    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
