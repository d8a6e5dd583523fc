package dev.gatekit.core.health;

import org.jdbi.v3.core.Jdbi;

public class PostgresCheck implements DependencyCheck {

    private final Jdbi jdbi;

    public PostgresCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public void check() {
        jdbi.useHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
    }
}
