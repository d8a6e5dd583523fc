package dev.gatekit.plugin.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a part of the plugin API that is not yet stable: it may change or disappear in a minor
 * release. Everything not marked follows semantic versioning, so a plugin that uses only stable
 * parts keeps working across every {@code 1.x} host.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD,
        ElementType.RECORD_COMPONENT, ElementType.PACKAGE})
public @interface Experimental {

    /**
     * Why the element is experimental, or what is expected to change.
     *
     * @return a short free-text note, empty by default
     */
    String value() default "";
}
