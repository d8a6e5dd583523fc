package dev.gatekit.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
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
    void postgresOutOfReachIsSaidAsSuch() {
        AdminTask task = new AdminTask("requeue-failed", (parameters, output) -> {
            throw new IllegalStateException("could not open", new SQLException("Connection refused", "08001"));
        });

        Throwable answered = catchThrowable(() -> task.execute(Map.of(), new PrintWriter(new StringWriter())));

        assertThat(answered).hasMessage("task requeue-failed needs Postgres, which is out of reach; try again later");
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
