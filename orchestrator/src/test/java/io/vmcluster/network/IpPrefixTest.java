package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void parsesAndPrintsTheIpForm() {
        IpPrefix p = IpPrefix.parse("192.168.1.254/24");
        assertThat(p.address().getHostAddress()).isEqualTo("192.168.1.254");
        assertThat(p.length()).isEqualTo(24);
        assertThat(p).hasToString("192.168.1.254/24");
    }

    @Test
    void rejectsWhatIsNotAnIpv4Prefix() {
        assertThatThrownBy(() -> IpPrefix.parse("192.168.1.254"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("192.168.1.254/24");
        assertThatThrownBy(() -> IpPrefix.parse("192.168.1.300/24")).hasMessageContaining("above 255");
        assertThatThrownBy(() -> IpPrefix.parse("192.168.1.1/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> IpPrefix.parse("lan/24")).isInstanceOf(IllegalArgumentException.class);
    }
}
