package dev.gatekit.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.MessageReceived;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestPlatformContextTest {

    @Test
    void pointsAtTheServerAndRecordsEvents() throws Exception {
        try (FakePlatformServer server = FakePlatformServer.start()) {
            TestPlatformContext context = TestPlatformContext.forServer(server);
            assertThat(context.apiBaseUrl()).contains(server.baseUri());
            InboundEvent event = new MessageReceived("e1", "c1", null, null, "hi", null, null, null, null, Instant.EPOCH, null);
            Thread publisher = new Thread(() -> context.inboundSink().publish(event));
            publisher.start();
            assertThat(context.awaitEvents(1, Duration.ofSeconds(5))).containsExactly(event);
            publisher.join();
            assertThatThrownBy(() -> context.awaitEvents(2, Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void clockCanBeFixed() {
        Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        TestPlatformContext context = TestPlatformContext.withoutServer().withClock(fixed);
        assertThat(context.clock().instant()).isEqualTo(fixed.instant());
        assertThat(context.apiBaseUrl()).isEmpty();
    }
}
