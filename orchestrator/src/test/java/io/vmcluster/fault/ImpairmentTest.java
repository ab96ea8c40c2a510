package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.network.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImpairmentTest {
    private static final Duration MS100 = Duration.ofMillis(100);

    @Test
    void rendersEveryNetemOption() {
        Impairment i = Impairment.none()
                .delay(MS100, Duration.ofMillis(10), 25)
                .loss(5, 50)
                .duplicate(1)
                .corrupt(0.1)
                .reorder(25, 50)
                .rate(1_000_000);
        assertThat(String.join(" ", i.netemArgs()))
                .isEqualTo("delay 100000us 10000us 25% loss 5% 50% duplicate 1% corrupt 0.1% reorder 25% 50%"
                        + " rate 1000000bit");
        assertThat(i.params()).containsEntry("delayMs", 100.0).containsEntry("loss", 5.0);
    }

    @Test
    void plainDelayAndLoss() {
        assertThat(Impairment.none().delay(MS100).netemArgs()).containsExactly("delay", "100000us");
        assertThat(Impairment.none().loss(10).netemArgs()).containsExactly("loss", "10%");
    }

    @Test
    void refusesWhatNetemCannotDo() {
        assertThatThrownBy(() -> Impairment.none().reorder(10, 0)).hasMessageContaining("reorder needs a delay");
        assertThatThrownBy(() -> Impairment.none().delay(Duration.ZERO, MS100)).hasMessageContaining("need a delay");
        assertThatThrownBy(() -> Impairment.none().loss(120)).hasMessageContaining("loss must be a percentage");
        assertThatThrownBy(() -> Impairment.none().netemArgs()).hasMessageContaining("at least one of");
    }

    @Test
    void singleAllTrafficImpairmentIsARootNetem() {
        var e = new TcTree.Entry(Impairment.none().delay(MS100), Optional.empty());
        assertThat(TcTree.build("eth0", List.of(e)))
                .containsExactly("qdisc add dev eth0 root handle 1: netem delay 100000us");
    }

    @Test
    void pairImpairmentsGetABandEachFedByAFilterOnTheAddress() {
        var pair = new TcTree.Entry(
                Impairment.none().loss(5), Optional.of(new TcTree.Match("dst", Ipv4Address.parse("192.168.1.12"))));
        var all = new TcTree.Entry(Impairment.none().delay(MS100), Optional.empty());
        assertThat(TcTree.build("eth0", List.of(all, pair)))
                .containsExactly(
                        "qdisc add dev eth0 root handle 1: prio bands 5 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1",
                        "qdisc add dev eth0 parent 1:4 handle 10: netem loss 5%",
                        "filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dst 192.168.1.12/32 flowid 1:4",
                        "qdisc add dev eth0 parent 1:5 handle 11: netem delay 100000us",
                        "filter add dev eth0 parent 1: protocol all prio 100 u32 match u32 0 0 flowid 1:5");
    }

    @Test
    void noEntriesBuildNothingAndTooManyAreRefused() {
        assertThat(TcTree.build("eth0", List.of())).isEmpty();
        var many = java.util.stream.IntStream.range(0, 14)
                .mapToObj(i -> new TcTree.Entry(
                        Impairment.none().loss(1),
                        Optional.of(new TcTree.Match("dst", Ipv4Address.parse("10.0.0." + i)))))
                .toList();
        assertThatThrownBy(() -> TcTree.build("eth0", many)).hasMessageContaining("at most 13");
    }

    @Test
    void guestScriptFindsTheNicByMac() {
        String s = NetemImpairments.guestScript(
                "52:54:00:12:34:02", List.of(new TcTree.Entry(Impairment.none().delay(MS100), Optional.empty())));
        assertThat(s)
                .contains("= 52:54:00:12:34:02 ]")
                .contains("$t qdisc del dev $d root 2>/dev/null")
                .endsWith("$t qdisc add dev $d root handle 1: netem delay 100000us");
    }
}
