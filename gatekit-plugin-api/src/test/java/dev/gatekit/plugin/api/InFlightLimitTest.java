package dev.gatekit.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void aSendBeyondTheBoundStartsWhenAnEarlierOneFinishes() {
        InFlightLimit limit = new InFlightLimit(2, () -> new RetryableDeliveryException("closed"));
        List<CompletableFuture<String>> platform = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(limit.submit(() -> {
                CompletableFuture<String> answer = new CompletableFuture<>();
                platform.add(answer);
                return answer;
            }));
        }

        assertThat(platform).hasSize(2);
        assertThat(limit.inFlight()).isEqualTo(2);
        platform.get(0).complete("first");

        assertThat(results.get(0)).isCompletedWithValue("first");
        assertThat(platform).as("the third started once the first finished").hasSize(3);
        assertThat(limit.inFlight()).isEqualTo(2);
    }

    @Test
    void closingFailsWhatWaitsAndAGivenUpSendNeverStarts() {
        InFlightLimit limit = new InFlightLimit(1, () -> new RetryableDeliveryException("closed"));
        List<String> started = new ArrayList<>();
        limit.submit(() -> {
            started.add("a");
            return new CompletableFuture<String>();
        });
        CompletableFuture<String> givenUp = limit.submit(() -> {
            started.add("b");
            return new CompletableFuture<String>();
        });
        CompletableFuture<String> waiting = limit.submit(() -> {
            started.add("c");
            return new CompletableFuture<String>();
        });
        givenUp.cancel(false);

        limit.close();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(started).containsExactly("a");
        assertThat(limit.submit(() -> CompletableFuture.completedFuture("late"))).isCompletedExceptionally();
    }
}
