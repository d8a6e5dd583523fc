package dev.gatekit.core.health;

/** One thing GateKit needs in order to serve: Postgres, Redis, later each plugin. */
public interface DependencyCheck {

    String name();

    /** Returns normally when the dependency answers; throws with the reason when it does not. */
    void check() throws Exception;
}
