package dev.gatekit.core.projects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.gatekit.core.keys.ApiKeyView;
import java.util.List;

/**
 * One project as {@code GET /api/v1/projects/{slug}} shows it: the project, its usable keys
 * (masked) and the original's {@code _count}, which its clients read.
 */
public record ProjectDetailView(@JsonUnwrapped ProjectView project, List<ApiKeyView> apiKeys,
                                @JsonProperty("_count") Counts count) {

    public record Counts(long apiKeys, long platforms) {
    }
}
