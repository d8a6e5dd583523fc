package dev.gatekit.core.admin;

import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.errors.ErrorResponse;
import dev.gatekit.core.json.Json;
import java.util.List;

/**
 * A task called with a missing or wrong parameter: answered 400 (see {@link TaskStatusFilter}) with
 * the API's JSON error shape naming the parameter, instead of Dropwizard's 500 and error log.
 */
public class TaskInputException extends IllegalArgumentException {

    private final String parameter;
    private final String problem;

    public TaskInputException(String parameter, String problem) {
        super(parameter + ": " + problem);
        this.parameter = parameter;
        this.problem = problem;
    }

    /** The body of the 400: the API's error shape. */
    String jsonBody() {
        return Json.write(ErrorResponse.of(400, "bad_request", getMessage(), List.of(new ErrorDetail(parameter, problem))));
    }
}
