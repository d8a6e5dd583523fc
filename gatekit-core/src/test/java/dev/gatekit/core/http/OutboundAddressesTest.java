package dev.gatekit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
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

    @Test
    void ipv6FormsThatCarryAnIpv4AddressAreJudgedByTheIpv4Rules() throws Exception {
        for (String refused : new String[] {"::127.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::10.0.0.1",
                "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::c0a8:1", "64:ff9b:1::808:808", "2002:7f00:1::1", "2002:a00:1::",
                "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "fd00::1", "fe80::1"}) {
            assertThat(OutboundAddresses.isPublic(InetAddress.getByName(refused))).as(refused).isFalse();
            assertThat(OutboundAddresses.problem("http://[" + refused + "]/x", false, "x.allowPrivate")).as(refused).isPresent();
        }
        for (String allowed : new String[] {"::ffff:93.184.216.34", "::5db8:d822", "64:ff9b::5db8:d822", "2002:5db8:d822::1",
                "2001:0:4136:e378:8000:63bf:a247:27dd", "2606:4700::1111"}) {
            assertThat(OutboundAddresses.isPublic(InetAddress.getByName(allowed))).as(allowed).isTrue();
        }
    }
}
