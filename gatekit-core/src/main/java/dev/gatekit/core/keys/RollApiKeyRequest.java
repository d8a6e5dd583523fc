package dev.gatekit.core.keys;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code POST …/keys/{keyId}/roll}: an optional grace period during which the old secret still
 * works, so a deployment can switch over without a moment of failed requests.
 */
public record RollApiKeyRequest(@Min(0) @Max(604_800) Integer gracePeriodSeconds) {
}
