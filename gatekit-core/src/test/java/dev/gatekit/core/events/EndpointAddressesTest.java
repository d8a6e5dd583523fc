package dev.gatekit.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointAddressesTest {

    @Test
    void loopbackPrivateAndLinkLocalAddressesAreRefusedUnlessAllowed() {
        for (String url : new String[] {"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.10/x",
                "http://172.16.5.5/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                "http://100.64.0.1/x", "http://0.0.0.0/x"}) {
            assertThat(EndpointAddresses.problem(url, false)).as(url).isPresent();
            assertThat(EndpointAddresses.problem(url, true)).as(url).isEmpty();
        }
    }

    @Test
    void publicAddressesPassAndOtherSchemesNeverDo() {
        assertThat(EndpointAddresses.problem("https://93.184.216.34/hook", false)).isEmpty();
        assertThat(EndpointAddresses.problem("ftp://93.184.216.34/hook", true)).isPresent();
        assertThat(EndpointAddresses.problem("/relative", true)).isPresent();
        assertThat(EndpointAddresses.problem("https://user:pw@93.184.216.34/hook", true)).isPresent();
    }
}
