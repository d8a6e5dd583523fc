package dev.gatekit.core.health;

import com.codahale.metrics.health.HealthCheck;

/** The same checks on Dropwizard's admin port ({@code /healthcheck}). */
public class DependencyHealthCheck extends HealthCheck {

    private final DependencyCheck dependency;

    public DependencyHealthCheck(DependencyCheck dependency) {
        this.dependency = dependency;
    }

    @Override
    protected Result check() {
        try {
            dependency.check();
            return Result.healthy();
        } catch (Exception e) {
            return Result.unhealthy(e.toString());
        }
    }
}
