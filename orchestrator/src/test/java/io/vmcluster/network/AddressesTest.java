package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void parsesAndPrintsAddressesAndSubnets() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.0.0.0/24");
        assertThat(s.host(11)).hasToString("10.0.0.11");
        assertThat(s.lastHost()).hasToString("10.0.0.254");
        assertThat(s.contains(Ipv4Address.parse("10.0.0.200"))).isTrue();
        assertThat(s.contains(Ipv4Address.parse("10.0.1.1"))).isFalse();
        assertThat(Ipv4Subnet.parse("172.30.0.0/30").hostCount()).isEqualTo(2);
        assertThat(Ipv4Address.parse("255.255.255.255")).hasToString("255.255.255.255");
    }

    @Test
    void rejectsMalformedInputWithTheValue() {
        assertThatThrownBy(() -> Ipv4Address.parse("10.0.0")).hasMessageContaining("'10.0.0' is not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Address.parse("10.0.0.256")).hasMessageContaining("256 > 255");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.1/24"))
                .hasMessageContaining("has host bits set; the network is 10.0.0.0/24");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0")).hasMessageContaining("not a subnet");
    }

    @Test
    void macsPrintInQemuForm() {
        assertThat(MacAddress.qemu(1, 0, 12)).hasToString("52:54:00:01:00:0c");
    }
}
