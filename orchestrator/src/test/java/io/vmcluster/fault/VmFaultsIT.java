package io.vmcluster.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cluster.Cluster;
import io.vmcluster.cluster.Node;
import io.vmcluster.cluster.PcapFrames;
import io.vmcluster.cluster.RunOptions;
import io.vmcluster.cluster.faults.ClusterFaults;
import io.vmcluster.cluster.faults.QmpClientPort;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.command.CommandResult;
import io.vmcluster.events.Event;
import io.vmcluster.image.ImageStore;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qmp.IoThrottle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Each fault observed from inside real guests: three etcd-test VMs under TCG, booted once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("io.vmcluster.fault.VmFaultsIT#imageAvailable")
class VmFaultsIT {
    static final Duration MINUTE = Duration.ofSeconds(60);
    static final Pattern RTT = Pattern.compile("min/avg/max = ([\\d.]+)/([\\d.]+)/([\\d.]+) ms");
    static final Pattern LOSS = Pattern.compile("(\\d+)% packet loss");

    Cluster cluster;
    Faults faults;
    Path results;
    final List<Event> events = new CopyOnWriteArrayList<>();

    static boolean imageAvailable() {
        return NamespaceNodes.available()
                && Files.isDirectory(ImageStore.standard().cacheDir().resolve("etcd-test"));
    }

    @BeforeAll
    void boot() throws Exception {
        results = Files.createTempDirectory("vmc-faults-vm-it");
        cluster = Cluster.start(
                ClusterSpec.builder().name("faults").nodes(3).build(),
                RunOptions.defaults()
                        .withAccelerator(Accelerator.TCG)
                        .withResultsDir(results)
                        .withEvents(events::add));
        faults = ClusterFaults.of(cluster);
    }

    @AfterAll
    void shutdown() {
        tearDown(faults, cluster, results);
    }

    /** Undoes open faults, closes the cluster and deletes its results, each even if the one before failed. */
    static void tearDown(Faults faults, Cluster cluster, Path results) {
        try {
            if (faults != null) {
                faults.close();
            }
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                deleteTree(results);
            }
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + dir, e);
        }
    }

    @AfterEach
    void heal() {
        faults.close();
    }

    Node node(String name) {
        return cluster.node(name);
    }

    String ip(String name) {
        return node(name).address().orElseThrow().toString();
    }

    boolean ping(String from, String to) {
        return node(from).exec("ping -c1 -W1 " + ip(to), MINUTE).succeeded();
    }

    void awaitPing(String from, String to) {
        node(from).waitUntilSucceeds("ping -c1 -W1 " + ip(to), MINUTE);
    }

    String carrier(String node) {
        return node(node)
                .succeed("cat /sys/class/net/eth0/carrier")
                .stdoutText()
                .strip();
    }

    @Test
    void nicCutIsSeenAsCarrierLossAndUndone() {
        awaitPing("node2", "node1");
        try (Fault cut = faults.cutNic("node1")) {
            node("node1").waitUntilSucceeds("[ \"$(cat /sys/class/net/eth0/carrier)\" = 0 ]", MINUTE);
            assertThat(ping("node2", "node1"))
                    .as("node2 -> node1 with node1's cable pulled")
                    .isFalse();
        }
        node("node1").waitUntilSucceeds("[ \"$(cat /sys/class/net/eth0/carrier)\" = 1 ]", MINUTE);
        awaitPing("node2", "node1");
    }

    @Test
    void silentPartitionKeepsCarrierAndCutsOnlyAcrossGroups() {
        awaitPing("node1", "node2");
        try (Fault p = faults.isolate("node1")) {
            assertThat(ping("node1", "node2"))
                    .as("node1 -> node2 across the partition")
                    .isFalse();
            assertThat(ping("node3", "node1"))
                    .as("node3 -> node1 across the partition")
                    .isFalse();
            assertThat(ping("node2", "node3"))
                    .as("node2 -> node3 on the same side")
                    .isTrue();
            assertThat(carrier("node1"))
                    .as("carrier stays up: the switch lost the path, not the cable")
                    .isEqualTo("1");
        }
        awaitPing("node1", "node2");
        awaitPing("node3", "node1");
    }

    @Test
    void delayInsideTheGuestRaisesTheRoundTripByTheConfiguredAmount() {
        awaitPing("node1", "node2");
        double before = avgRtt("node1", "node2");
        try (Fault d = faults.impair("node1", Impairment.none().delay(Duration.ofMillis(1000)))) {
            assertThat(d.params()).containsEntry("delayMs", 1000.0);
            double during = avgRtt("node1", "node2");
            assertThat(during - before)
                    .as("RTT rise (before %.1f ms, during %.1f ms)", before, during)
                    .isBetween(900.0, 2000.0); // 1 s: far above what load noise alone adds under TCG
        }
        assertThat(events.stream()
                        .filter(e -> e.kind().equals("fault.start"))
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .fields())
                .containsEntry("method", "guest-netem");
        double after = avgRtt("node1", "node2");
        assertThat(after).as("RTT after undo (before %.1f ms)", before).isLessThan(before + 100);
    }

    @Test
    void lossIsNearTheConfiguredRate() {
        awaitPing("node1", "node3");
        try (Fault l = faults.impair(
                ImpairmentTarget.pair("node1", "node3"), Impairment.none().loss(50))) {
            CommandResult r = node("node1").exec("ping -c 40 -i 0.2 -W 1 " + ip("node3"), MINUTE);
            Matcher m = LOSS.matcher(r.stdoutText());
            assertThat(m.find()).as("ping summary in %s", r.stdoutText()).isTrue();
            assertThat(Integer.parseInt(m.group(1)))
                    .as("loss over 40 pings at 50%")
                    .isBetween(20, 80);
            assertThat(ping("node1", "node2"))
                    .as("the pair impairment leaves node1 -> node2 alone")
                    .isTrue();
        }
        CommandResult r = node("node1").exec("ping -c 10 -i 0.2 -W 1 " + ip("node3"), MINUTE);
        assertThat(r.stdoutText()).as("after undo").contains(" 0% packet loss");
    }

    @Test
    void pausedNodeMissesPingsThenAnswers() {
        awaitPing("node1", "node3");
        try (Fault p = faults.pause("node3")) {
            assertThat(ping("node1", "node3"))
                    .as("a paused node answers nothing")
                    .isFalse();
        }
        awaitPing("node1", "node3");
    }

    @Test
    void clockSkewShowsInDateAndIsUndone() {
        try (Fault s = faults.skewClock("node2", Duration.ofHours(1))) {
            long guest = Long.parseLong(
                    node("node2").succeed("date -u +%s").stdoutText().strip());
            assertThat(guest - Instant.now().getEpochSecond())
                    .as("guest clock ahead")
                    .isBetween(3590L, 3610L);
        }
        long guest =
                Long.parseLong(node("node2").succeed("date -u +%s").stdoutText().strip());
        assertThat(Math.abs(guest - Instant.now().getEpochSecond()))
                .as("guest clock back to true time")
                .isLessThan(10);
    }

    @Test
    void throttledDiskWritesMoreSlowly() {
        String dd =
                "dd if=/dev/zero of=/var/lib/vmc/ddtest bs=64k count=64 oflag=direct 2>&1; rm -f /var/lib/vmc/ddtest";
        long freeMs = timeMs("node2", dd);
        long slowMs;
        try (Fault t = faults.slowDisk("node2", IoThrottle.bytesPerSecond(256 * 1024))) {
            slowMs = timeMs("node2", dd);
        }
        assertThat(slowMs)
                .as("4 MiB at 256 KiB/s needs ~16 s (unthrottled: %d ms)", freeMs)
                .isGreaterThan(12_000)
                .isGreaterThan(freeMs);
    }

    /** The guest's device node of the data disk, found by its serial. */
    static final String DATA_DEV =
            "$(for s in /sys/block/vd*/serial; do [ \"$(cat $s)\" = vmc-data ] && d=${s%/serial} && echo /dev/${d##*/}; done)";

    @Test
    void injectedReadErrorsShowUpAsEioInTheGuest() {
        String read = "dd if=" + DATA_DEV + " of=/dev/null bs=4k count=1 iflag=direct"; // block 0: allocated
        node("node3").succeed(read);
        try (Fault e = faults.diskErrors("node3", DiskErrors.readsOnly())) {
            CommandResult r = node("node3").exec(read, MINUTE);
            assertThat(r.exitCode())
                    .as("read with errors injected: %s", r.describe())
                    .isNotZero();
            assertThat(r.stdoutText() + r.stderrText()).contains("Input/output error");
        }
        node("node3").succeed(read);
    }

    @Test
    void captureWritesTheFramesOfTheNicIntoAPcapFileUntilClosed() throws Exception {
        awaitPing("node1", "node2");
        Path file;
        try (Fault c = faults.capture("node1", "nic0")) {
            file = Path.of((String) c.params().get("file"));
            assertThat(file).as("capture file").startsWith(cluster.runDir().resolve("captures"));
            assertThat(objects("node1")).as("QEMU's objects while capturing").contains("vmc-capture-" + c.id());
            node("node1").succeed("ping -c 5 -i 0.2 -W 2 " + ip("node2"), MINUTE);
        }
        assertThat(objects("node1")).as("QEMU's objects after close").noneMatch(o -> o.startsWith("vmc-capture-"));
        PcapFrames pcap = PcapFrames.read(file); // checks the magic
        assertThat(pcap.linkType()).as("link type").isEqualTo(PcapFrames.ETHERNET);
        assertThat(pcap.icmpEchoRequests(ip("node1"), ip("node2")))
                .as(
                        "echo requests node1 -> node2 among %d frames",
                        pcap.frames().size())
                .isGreaterThanOrEqualTo(5);
        assertThat(pcap.icmpEchoReplies(ip("node2"), ip("node1")))
                .as("echo replies node2 -> node1")
                .isGreaterThanOrEqualTo(5);

        long size = Files.size(file);
        node("node1").succeed("ping -c 3 -i 0.2 -W 2 " + ip("node2"), MINUTE);
        assertThat(Files.size(file))
                .as("the capture file after close and three more pings")
                .isEqualTo(size);
    }

    /** The names of QEMU's user-created objects (filters among them) on {@code node}. */
    private List<String> objects(String node) {
        var list = new QmpClientPort(node(node).qmp(), cluster.timing())
                .execute(io.vmcluster.qmp.QmpCommand.of("qom-list", java.util.Map.of("path", "/objects")));
        List<String> names = new java.util.ArrayList<>();
        list.forEach(o -> names.add(o.path("name").asText()));
        return names;
    }

    /**
     * The benchmark of docs/benchmarks.md "Fault latency": time from the API call to the fault
     * being in effect (every apply is synchronous: set_link and stop reply once QEMU changed
     * state, nft once the ruleset is committed, tc once the guest command exited), next to the
     * floor of the same raw operation without the fault machinery.
     */
    @Test
    @EnabledIfSystemProperty(
            named = "vmc.bench",
            matches = "true",
            disabledReason = "a benchmark, not a test: -Dvmc.bench=true runs it (docs/benchmarks.md)")
    void latencyOfApplyingFaults() throws Exception {
        int n = 100; // after 5 uncounted warm-up rounds (class loading, JIT, the nft thread's start)
        StringBuilder report = new StringBuilder();
        report.append(latency("nic-cut", n, () -> faults.cutNic("node1")));
        report.append(floor("nic-cut floor: raw QMP set_link off+on", n, () -> {
            node("node1").qmp().commands().setLink("nic0", false).get();
            return () -> node("node1").qmp().commands().setLink("nic0", true).get();
        }));
        report.append(latency("silent partition (isolate)", n, () -> faults.isolate("node1")));
        report.append(latency("one-way cut", n, () -> faults.cutOneWay("node1", "node2")));
        report.append(floor("partition floor: libnftables `list tables` in the namespace", n, () -> {
            cluster.namespace().nftables().orElseThrow().run("list tables\n", MINUTE);
            return () -> {};
        }));
        report.append(floor("partition floor (old path): nsenter nft list tables", 30, () -> {
            cluster.namespace().exec("nft", "list", "tables").orThrow();
            return () -> {};
        }));
        report.append(latency("pause", n, () -> faults.pause("node3")));
        report.append(latency(
                "impairment (guest-netem delay)",
                30,
                () -> faults.impair("node2", Impairment.none().delay(Duration.ofMillis(10)))));
        report.append(floor("impairment floor: console round trip of `true`", 30, () -> {
            node("node2").succeed("true");
            return () -> {};
        }));
        System.out.println("FAULT LATENCY\n" + report);
        Files.writeString(Path.of("target", "fault-latency.txt"), report.toString());
    }

    interface Timed {
        AutoCloseable apply() throws Exception;
    }

    private String latency(String what, int n, Timed apply) throws Exception {
        return floor(what, n, apply);
    }

    private String floor(String what, int n, Timed apply) throws Exception {
        for (int i = 0; i < 5; i++) {
            apply.apply().close();
        }
        long[] applyNs = new long[n];
        long[] undoNs = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            AutoCloseable undo = apply.apply();
            long t1 = System.nanoTime();
            undo.close();
            long t2 = System.nanoTime();
            applyNs[i] = t1 - t0;
            undoNs[i] = t2 - t1;
        }
        java.util.Arrays.sort(applyNs);
        java.util.Arrays.sort(undoNs);
        return String.format(
                java.util.Locale.ROOT,
                "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n",
                what,
                n,
                applyNs[n / 2] / 1e6,
                applyNs[(int) Math.ceil(n * 0.99) - 1] / 1e6,
                undoNs[n / 2] / 1e6,
                undoNs[(int) Math.ceil(n * 0.99) - 1] / 1e6);
    }

    private long timeMs(String node, String command) {
        long t0 = System.nanoTime();
        node(node).succeed(command, Duration.ofMinutes(3));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private double avgRtt(String from, String to) {
        CommandResult r = node(from).exec("ping -c 5 -i 0.2 -W 3 " + ip(to), MINUTE);
        Matcher m = RTT.matcher(r.stdoutText());
        if (!m.find()) {
            throw new AssertionError("no RTT summary from ping " + from + " -> " + to + ": " + r.describe());
        }
        return Double.parseDouble(m.group(2));
    }
}
