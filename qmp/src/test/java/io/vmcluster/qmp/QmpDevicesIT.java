package io.vmcluster.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.qmp.testing.QemuProcess;
import io.vmcluster.qmp.testing.TestTiming;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/** The typed helpers on a real q35 machine, held at -S (no guest code runs). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.qmp.testing.QemuProcess#available")
class QmpDevicesIT {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(15));

    QemuProcess qemu;
    QmpClient client;
    QmpCommands qmp;

    @BeforeAll
    void boot() throws Exception {
        qemu = QemuProcess.startMachine(
                "q35",
                "-S",
                "-netdev",
                "user,id=n0",
                "-device",
                "virtio-net-pci,netdev=n0,id=nic0",
                "-device",
                "pcie-root-port,id=rp1,bus=pcie.0,chassis=1",
                "-drive",
                "if=none,id=d0,format=raw,file=null-co://,readonly=off",
                "-device",
                "virtio-blk-pci,drive=d0,id=vd0");
        try {
            client = QmpClient.connect(
                    qemu.qmpSocket(),
                    QmpClientOptions.DEFAULTS.withConnectTimeout(WAIT).withDefaultTimeout(WAIT));
        } catch (Exception e) {
            throw new AssertionError("QEMU did not answer QMP; stderr:\n" + qemu.stderr(), e);
        }
        qmp = client.commands();
    }

    @AfterAll
    void shutdown() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (qemu != null) {
                qemu.close();
            }
        }
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void ioThrottleShowsUpInQueryBlock() throws Exception {
        // a virtio-blk-pci's block backend sits on its virtio-backend child: "vd0" alone is refused
        String device = "/machine/peripheral/vd0/virtio-backend";
        assertThatThrownBy(() -> await(qmp.blockSetIoThrottle("vd0", IoThrottle.bytesPerSecond(1))))
                .hasMessageContaining("does not have a block device backend");
        await(qmp.blockSetIoThrottle(device, IoThrottle.bytesPerSecond(1_000_000)));
        JsonNode block = await(qmp.queryBlock());
        JsonNode d0 = null;
        for (JsonNode entry : block) {
            if (entry.path("qdev").asText().contains("vd0")) {
                d0 = entry;
            }
        }
        assertThat(d0).as("vd0 in %s", block).isNotNull();
        assertThat(d0.path("inserted").path("bps").asLong()).isEqualTo(1_000_000L);
        await(qmp.blockSetIoThrottle(device, IoThrottle.UNLIMITED));
        assertThat(await(qmp.queryBlock()).toString()).doesNotContain("\"bps\":1000000");
    }

    @Test
    void netdevAndFilterObjectsComeAndGo() throws Exception {
        await(qmp.netdevAdd("user", "n1", null));
        await(qmp.objectAdd(
                "filter-dump",
                "dump0",
                client.arguments()
                        .put("netdev", "n0")
                        .put("file", qemu.dir().resolve("n0.pcap").toString())));
        await(qmp.objectDel("dump0"));
        await(qmp.netdevDel("n1"));
        assertThatThrownBy(() -> await(qmp.netdevDel("n1"))).hasCauseInstanceOf(QmpCommandException.class);
    }

    @Test
    void deviceAddThenDeleteNeedsTheGuestSoTheWaitTimesOutNamingTheEvent() throws Exception {
        await(qmp.netdevAdd("user", "n2", null));
        await(qmp.deviceAdd(
                "virtio-net-pci", "nic2", client.arguments().put("netdev", "n2").put("bus", "rp1")));
        assertThat(await(client.execute("qom-list", client.arguments().put("path", "/machine/peripheral")))
                        .toString())
                .contains("nic2");
        assertThatThrownBy(() -> await(qmp.deviceDelAndAwait("nic2", Duration.ofMillis(500))))
                .hasCauseInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("DEVICE_DELETED for nic2");
    }

    @Test
    void resetAndPowerdownRaiseTheirEvents() throws Exception {
        CompletableFuture<QmpEvent> reset = client.awaitEvent("RESET", WAIT);
        await(qmp.systemReset());
        assertThat(await(reset).dataText("reason")).isEqualTo("host-qmp-system-reset");
        CompletableFuture<QmpEvent> powerdown = client.awaitEvent("POWERDOWN", WAIT);
        await(qmp.systemPowerdown());
        await(powerdown);
    }
}
