package io.vmcluster.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmCacheTest {
    private static final Instant NOW = Instant.parse("2026-12-02T14:00:00Z");

    @TempDir
    Path root;

    private WarmCache cache(long maxBytes) {
        return new WarmCache(
                root, new WarmCache.Limits(maxBytes, Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static WarmKey key(String what) {
        return WarmKey.builder().part("what", what).build();
    }

    /** Writes and publishes an entry of {@code nodes} with files of {@code bytes} each. */
    private static WarmManifest publish(WarmCache cache, WarmKey key, int bytes, String... nodes) throws IOException {
        WarmCache.Writing w = cache.write(key, "c", "formed").orElseThrow();
        for (String n : nodes) {
            WarmCache.NodeFiles f = w.node(n);
            Files.write(f.vmstate(), new byte[bytes]);
            Files.write(f.disk(), new byte[bytes]);
        }
        return w.publish(List.of(nodes), "TCG", null);
    }

    @Test
    void aPublishedEntryIsFoundByItsKeyWithItsFilesAndManifest() throws IOException {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        assertThat(cache.use(k)).as("nothing yet").isEmpty();
        WarmManifest m = publish(cache, k, 100, "node1", "node2");
        assertThat(m.bytes()).isGreaterThanOrEqualTo(400);
        try (WarmCache.Lease lease = cache.use(k).orElseThrow()) {
            assertThat(lease.manifest().nodes()).containsExactly("node1", "node2");
            assertThat(lease.manifest().material()).isEqualTo(k.material());
            assertThat(lease.manifest().snapshot()).isEqualTo("formed");
            assertThat(lease.node("node2").vmstate()).hasSize(100);
            assertThat(lease.dir()).isEqualTo(root.resolve(k.id()));
        }
        assertThat(cache.use(key("b"))).as("another key").isEmpty();
    }

    @Test
    void anEntryBeingWrittenIsInvisibleAndAnAbandonedOneLeavesNothing() throws IOException {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        try (WarmCache.Writing w = cache.write(k, "c", "formed").orElseThrow()) {
            Files.write(w.node("node1").vmstate(), new byte[10]);
            assertThat(cache.use(k)).isEmpty();
            assertThat(cache.write(k, "c", "formed")).as("a second writer").isEmpty();
        }
        assertThat(cache.use(k)).isEmpty();
        try (var s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(k.id() + ".lock");
        }
    }

    @Test
    void anEntryMissingANodesFileIsNotPublishedNorUsed() throws IOException {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        try (WarmCache.Writing w = cache.write(k, "c", "formed").orElseThrow()) {
            Files.write(w.node("node1").vmstate(), new byte[10]);
            assertThatThrownBy(() -> w.publish(List.of("node1"), "TCG", null))
                    .hasMessageContaining("node node1 has no vmstate or disk");
        }
        publish(cache, k, 10, "node1");
        Files.delete(root.resolve(k.id()).resolve("node1").resolve("disk.qcow2"));
        assertThat(cache.use(k)).as("a file gone").isEmpty();
    }

    @Test
    void anEntryIsWrittenOnceAndUsedByManyAtOnce() throws IOException {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        publish(cache, k, 10, "node1");
        assertThat(cache.write(k, "c", "formed")).as("it exists").isEmpty();
        try (WarmCache.Lease a = cache.use(k).orElseThrow();
                WarmCache.Lease b = cache.use(k).orElseThrow()) {
            assertThat(a.dir()).isEqualTo(b.dir());
        }
    }

    @Test
    void theLocksHoldBetweenProcesses() throws Exception {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        publish(cache, k, 10, "node1");
        Path lock = root.resolve(k.id() + ".lock");
        try (WarmCache.Lease lease = cache.use(k).orElseThrow()) {
            assertThat(probe("shared", lock)).as("another run may use it too").isEqualTo("taken");
            assertThat(probe("exclusive", lock)).as("but not delete it").isEqualTo("busy");
        }
        assertThat(probe("exclusive", lock)).as("once nobody uses it").isEqualTo("taken");
        try (WarmCache.Writing w = cache.write(key("b"), "c", "formed").orElseThrow()) {
            assertThat(probe("shared", root.resolve(key("b").id() + ".lock")))
                    .as("while it is written")
                    .isEqualTo("busy");
        }
    }

    private static String probe(String mode, Path lock) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        EntryLockProbe.class.getName(),
                        mode,
                        lock.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("the probe process ended")
                .isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aDiscardedEntryIsGoneUnlessAnotherRunUsesIt() throws IOException {
        WarmCache cache = cache(1L << 30);
        WarmKey k = key("a");
        publish(cache, k, 10, "node1");
        WarmCache.Lease other = cache.use(k).orElseThrow();
        assertThat(cache.discard(cache.use(k).orElseThrow()))
                .as("in use by another")
                .isFalse();
        other.close();
        assertThat(cache.discard(cache.use(k).orElseThrow())).isTrue();
        assertThat(cache.use(k)).isEmpty();
        assertThat(root.resolve(k.id())).doesNotExist();
        assertThat(cache.write(k, "c", "formed"))
                .as("the next run writes it again")
                .isPresent();
    }

    @Test
    void pruningDropsTheUnusedForAWeekThenTheLeastRecentlyUsedButNeverOneInUse() throws IOException {
        WarmCache big = cache(1L << 30);
        WarmKey old = key("old"), a = key("a"), b = key("b"), c = key("c");
        for (WarmKey k : List.of(old, a, b, c)) {
            publish(big, k, 1000, "node1"); // 2000 bytes + manifest each
        }
        touch(old, NOW.minus(Duration.ofDays(8)));
        touch(a, NOW.minus(Duration.ofHours(3)));
        touch(b, NOW.minus(Duration.ofHours(2)));
        touch(c, NOW.minus(Duration.ofHours(1)));
        try (WarmCache.Lease inUse = big.use(a).orElseThrow()) {
            touch(a, NOW.minus(Duration.ofHours(3))); // use() marked it: make it the least recent again
            WarmCache.Pruned pruned = cache(5000).prune();
            assertThat(pruned.deleted())
                    .as("a week unused, then the oldest not in use")
                    .containsExactly(old.id(), b.id());
            assertThat(root.resolve(a.id())).as("in use").exists();
            assertThat(root.resolve(c.id())).exists();
        }
    }

    @Test
    void pruningDeletesWhatADeadWriterLeftButNotALiveWritersWork() throws IOException {
        WarmCache cache = cache(1L << 30);
        Path dead = root.resolve(".tmp-" + key("dead").id() + "-x");
        Files.createDirectories(dead.resolve("node1"));
        Files.write(dead.resolve("node1").resolve("vmstate"), new byte[10]);
        try (WarmCache.Writing live = cache.write(key("live"), "c", "formed").orElseThrow()) {
            Files.write(live.node("node1").vmstate(), new byte[10]);
            cache.prune();
            assertThat(dead).doesNotExist();
            try (var s = Files.list(root)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")))
                        .hasSize(1);
            }
        }
    }

    @Test
    void theSizeBoundComesFromTheEnvironmentInMib() {
        assertThat(WarmCache.Limits.from(null)).isEqualTo(WarmCache.Limits.DEFAULT);
        assertThat(WarmCache.Limits.from("512").maxBytes()).isEqualTo(512L << 20);
        assertThat(WarmCache.Limits.from("0").maxBytes()).isZero();
        assertThatThrownBy(() -> WarmCache.Limits.from("4G"))
                .hasMessageContaining("VMC_WARM_CACHE_MIB='4G' is not a size in MiB");
        assertThat(Optional.of(WarmCache.standard().root().toString()))
                .hasValueSatisfying(p -> assertThat(p).endsWith("vmcluster/warm"));
    }

    private void touch(WarmKey k, Instant when) throws IOException {
        Files.setLastModifiedTime(root.resolve(k.id()).resolve(WarmCache.MANIFEST), FileTime.from(when));
    }
}
