package dev.gatekit.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.TargetType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite itself: what a plugin author sees when a client implements no send method. */
class PlatformProviderContractTestTest {

    /** Overrides neither send nor sendAsync: the API's defaults would call each other for ever. */
    static final class NoSendClient implements PlatformClient {
        @Override
        public HealthStatus health() {
            return HealthStatus.up();
        }

        @Override
        public void close() {
        }
    }

    static final class NoSendProvider implements PlatformProvider {
        @Override
        public PlatformDescriptor descriptor() {
            return PlatformDescriptor.builder("nosend", "No send", "1.0.0").capabilities(Capability.TEXT)
                    .targetTypes(TargetType.USER).maxTextLength(100).build();
        }

        @Override
        public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context) {
            return new NoSendClient();
        }
    }

    static final class NoSendContract extends PlatformProviderContractTest {
        @Override
        protected PlatformProvider provider() {
            return new NoSendProvider();
        }

        @Override
        protected PlatformConfiguration validConfiguration(FakePlatformServer server) {
            return new PlatformConfiguration("cfg-1", "proj-1", Map.of(), Map.of(), false);
        }
    }

    @Test
    void aClientWithoutASendMethodFailsClearlyInsteadOfOverflowingTheStack() {
        NoSendContract suite = new NoSendContract();
        suite.startFakePlatform();
        try {
            assertThatThrownBy(suite::clientImplementsSendOrSendAsync).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("must override send() or sendAsync()");
            assertThatThrownBy(suite::sendSucceedsAgainstTheFakePlatform).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("must override send() or sendAsync()");
            assertThatThrownBy(suite::sendAsyncSucceedsAgainstTheFakePlatform).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("must override send() or sendAsync()");
        } finally {
            suite.stopFakePlatform();
        }
    }
}
