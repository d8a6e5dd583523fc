package dev.gatekit.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorResponse;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a batch: every message's own result, in the order sent. The HTTP status is 202
 * when all were accepted and 207 otherwise; each result carries its own status (202, or the status
 * a single send would have answered) and either the job or the error.
 */
public record BatchSendResult(boolean success, int accepted, int rejected, List<ItemResult> results) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemResult(int index, int status, UUID jobId, String state, List<SendResult.TargetSummary> targets,
                             ErrorResponse.Body error) {

        static ItemResult accepted(int index, SendResult result) {
            return new ItemResult(index, 202, result.jobId(), result.status(), result.targets(), null);
        }

        static ItemResult refused(int index, ApiException e) {
            return new ItemResult(index, e.status(), null, null, null, new ErrorResponse.Body(e.code(), e.getMessage(), e.details()));
        }
    }

    static BatchSendResult of(List<ItemResult> results) {
        int accepted = (int) results.stream().filter(r -> r.status() == 202).count();
        return new BatchSendResult(accepted == results.size(), accepted, results.size() - accepted, results);
    }
}
