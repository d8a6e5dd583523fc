package dev.gatekit.plugin.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.RecordedRequest;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Validating a configuration reads the phone number; what Meta refuses names its field, with Meta's message. */
@Timeout(60)
class WhatsAppValidationTest {

    private FakePlatformServer server;
    private TestPlatformContext context;

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        context = TestPlatformContext.forServer(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Throwable validate(PlatformConfiguration configuration) {
        return catchThrowable(() -> new WhatsAppPlatformProvider().validateCredentials(configuration, context));
    }

    @Test
    void aGoodTokenAndIdReadThePhoneNumber() {
        server.stub(FakeGraphApi.PHONE_NUMBER, FakeGraphApi.phoneNumber());

        assertThatCode(() -> new WhatsAppPlatformProvider().validateCredentials(FakeGraphApi.configuration(Map.of()), context))
                .doesNotThrowAnyException();

        RecordedRequest request = server.takeRequest(FakeGraphApi.WAIT);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v26.0/106540352242922");
        assertThat(request.queryParameters()).containsEntry("fields", java.util.List.of("display_phone_number,verified_name"));
        assertThat(request.header("Authorization")).contains("Bearer " + FakeGraphApi.ACCESS_TOKEN);
    }

    @Test
    void aTokenMetaRefusesNamesTheAccessTokenWithMetasMessage() {
        server.stub(FakeGraphApi.PHONE_NUMBER, FakeGraphApi.error(401, 190, "Invalid OAuth access token - Cannot parse access token"));

        assertThat(validate(FakeGraphApi.configuration(Map.of()))).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
            assertThat(e.field()).isEqualTo("accessToken");
            assertThat(e.getMessage()).contains("Invalid OAuth access token - Cannot parse access token")
                    .doesNotContain(FakeGraphApi.ACCESS_TOKEN);
        });
    }

    @Test
    void anIdMetaDoesNotKnowNamesThePhoneNumberIdWithMetasMessage() {
        server.stub(FakeGraphApi.PHONE_NUMBER, FakeGraphApi.error(400, 100, 33,
                "Unsupported get request. Object with ID '106540352242922' does not exist, cannot be loaded due to missing "
                        + "permissions, or does not support this operation", null));

        assertThat(validate(FakeGraphApi.configuration(Map.of()))).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
            assertThat(e.field()).isEqualTo("phoneNumberId");
            assertThat(e.getMessage()).contains("Object with ID '106540352242922' does not exist");
        });
    }

    @Test
    void malformedValuesAreRefusedWithoutACall() {
        assertThat(validate(FakeGraphApi.configuration(Map.of("phoneNumberId", "+1 555 0100"))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.field()).isEqualTo("phoneNumberId"));
        assertThat(validate(FakeGraphApi.configuration(Map.of("graphApiVersion", "26"))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.field()).isEqualTo("graphApiVersion"));
        assertThat(server.requests()).isEmpty();
    }
}
