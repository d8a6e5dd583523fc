package dev.gatekit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboundAddressesTest {

    @Test
    void loopbackPrivateAndLinkLocalAddressesAreRefusedUnlessAllowed() {
        for (String url : new String[] {"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.10/x",
                "http://172.16.5.5/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                "http://100.64.0.1/x", "http://0.0.0.0/x"}) {
            assertThat(OutboundAddresses.problem(url, false, "x.allowPrivate")).as(url).isPresent();
            assertThat(OutboundAddresses.problem(url, true, "x.allowPrivate")).as(url).isEmpty();
        }
    }

    @Test
    void publicAddressesPassAndOtherSchemesNeverDo() {
        assertThat(OutboundAddresses.problem("https://93.184.216.34/hook", false, "x.allowPrivate")).isEmpty();
        assertThat(OutboundAddresses.problem("ftp://93.184.216.34/hook", true, "x.allowPrivate")).isPresent();
        assertThat(OutboundAddresses.problem("/relative", true, "x.allowPrivate")).isPresent();
        assertThat(OutboundAddresses.problem("https://user:pw@93.184.216.34/hook", true, "x.allowPrivate")).isPresent();
    }
}
