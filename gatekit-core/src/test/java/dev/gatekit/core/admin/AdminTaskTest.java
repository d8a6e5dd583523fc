package dev.gatekit.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminTaskTest {

    @Test
    void anUnexpectedFailureIsAnsweredWithAnIncidentIdNotWithWhatItSaid() {
        AdminTask task = new AdminTask("revoke-admin-key", (parameters, output) -> {
            throw new IllegalStateException("ERROR: duplicate key value (key_hash)=(9f86d081884c7d659a2feaa0c55ad015)");
        });

        Throwable answered = catchThrowable(() -> task.execute(Map.of("id", List.of("x")), new PrintWriter(new StringWriter())));

        assertThat(answered).hasMessageStartingWith("task revoke-admin-key failed; see the server log, incident ")
                .hasMessageNotContaining("9f86d081").hasNoCause();
    }

    @Test
    void aMissingParameterIsStillNamed() {
        AdminTask task = new AdminTask("revoke-admin-key", (parameters, output) -> {
            throw new TaskInputException("id", "required");
        });

        Throwable answered = catchThrowable(() -> task.execute(Map.of(), new PrintWriter(new StringWriter())));

        assertThat(answered).isInstanceOf(TaskInputException.class).hasMessage("id: required");
    }
}
