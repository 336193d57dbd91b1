package io.goldcrest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.config.GatewayConfig;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressFilterTest {

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** ::ffff:a.b.c.d as a dual-stack socket reports it (InetAddress.getByName would make it IPv4). */
    private static InetAddress mapped(String ipv4) throws UnknownHostException {
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return Inet6Address.getByAddress(null, v6, -1);
    }

    private static AddressFilter filter(String gateway) {
        return new AddressFilter(TestConfigs.withGateway(gateway).gateway());
    }

    @Test
    void withoutListsEveryAddressPasses() {
        AddressFilter open = new AddressFilter(GatewayConfig.open());
        assertThat(open.allows(address("203.0.113.7"))).isTrue();
        assertThat(open.allows(address("2001:db8::1"))).isTrue();
        assertThat(open.allows(null)).isTrue();
        assertThat(open.allows("portal", address("203.0.113.7"))).isTrue();
    }

    @Test
    void denyWinsOverAllowAndAllowRefusesTheRest() throws Exception {
        AddressFilter filter = filter("""
                    ip_filter:
                      allow: ["10.0.0.0/8", "2001:db8::/32"]
                      deny: ["10.66.0.0/16", "2001:db8:bad::/48"]
                """);
        assertThat(filter.allows(address("10.1.2.3"))).isTrue();
        assertThat(filter.allows(address("10.66.0.1"))).as("denied inside the allowed block").isFalse();
        assertThat(filter.allows(address("192.168.1.1"))).as("outside the allow list").isFalse();
        assertThat(filter.allows(address("2001:db8:1::5"))).isTrue();
        assertThat(filter.allows(address("2001:db8:bad::5"))).isFalse();
        assertThat(filter.allows(address("2001:db9::1"))).isFalse();
        // An IPv4 client seen through an IPv6 socket is judged by its IPv4 address.
        assertThat(filter.allows(mapped("10.1.2.3"))).isTrue();
        assertThat(filter.allows(mapped("10.66.0.1"))).isFalse();
        assertThat(filter.allows(mapped("192.168.1.1"))).isFalse();
        assertThat(filter.allows(null)).as("an address that did not parse").isFalse();
    }

    @Test
    void aDenyListAloneRefusesOnlyWhatItNames() throws Exception {
        AddressFilter filter = filter("""
                    ip_filter: {deny: ["127.0.0.1", "::1"]}
                """);
        assertThat(filter.allows(address("127.0.0.1"))).isFalse();
        assertThat(filter.allows(mapped("127.0.0.1"))).isFalse();
        assertThat(filter.allows(address("::1"))).isFalse();
        assertThat(filter.allows(address("127.0.0.2"))).isTrue();
        assertThat(filter.allows(address("::2"))).isTrue();
    }

    @Test
    void clientListsApplyToTheirClientOnly() {
        AddressFilter filter = filter("""
                    clients:
                      portal: {ip_filter: {allow: ["192.0.2.0/24"]}}
                      jupyter: {ip_filter: {deny: ["192.0.2.66"]}}
                      cli: {}
                """);
        assertThat(filter.allows("portal", address("192.0.2.10"))).isTrue();
        assertThat(filter.allows("portal", address("198.51.100.1"))).isFalse();
        assertThat(filter.allows("jupyter", address("192.0.2.66"))).isFalse();
        assertThat(filter.allows("jupyter", address("198.51.100.1"))).isTrue();
        assertThat(filter.allows("cli", address("198.51.100.1"))).isTrue();
        assertThat(filter.allows("unregistered", address("198.51.100.1"))).as("no lists of its own").isTrue();
        assertThat(filter.allows(address("198.51.100.1"))).as("no global lists").isTrue();
    }
}
