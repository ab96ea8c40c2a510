package io.vmcluster.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.channel.SshKeys;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.events.EventKind;
import io.vmcluster.image.ImageManifest;
import io.vmcluster.process.Commands;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.DiskImages;
import io.vmcluster.qmp.QmpCommand;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.warm.WarmCache;
import io.vmcluster.warm.WarmKey;
import io.vmcluster.warm.WarmManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm start across runs for one cluster (docs/snapshots.md): {@link #start} starts every node
 * from the cache entry of this cluster's key instead of booting it, and {@link #frozenAt} writes
 * the entry from the cut of the requested snapshot when the cluster booted.
 *
 * <p>Saving, while the cluster is frozen at the snapshot: each node's RAM and device state goes to
 * a file by migration ({@code migrate "exec:cat > FILE"}: QEMU stays paused, its disks flushed and
 * released), its data disk is exported as a standalone qcow2 ({@code qemu-img convert}), then the
 * snapshot's resume continues the nodes ({@code cont} takes the disks back). Loading, in a new
 * process with the same devices: QEMU is started paused with {@code -incoming defer} on a new
 * data disk, a qcow2 overlay backed by the entry's disk (nothing is copied; the entry is never
 * written), QMP {@code migrate-incoming "exec:cat FILE"} loads the state, and all nodes are
 * resumed together, as after a restore. Then, in each guest, what belongs to this run and not to
 * the one that saved the state: the run's SSH key (authorized_keys and the key parameter's file),
 * fresh host randomness into the kernel's pool, and the clock (as after a restore).
 *
 * <p>The key: QEMU's version, the accelerator, every node's QEMU command line with the run's own
 * paths, captures and SSH key taken out and its {@code vmc.*} parameters sorted, every node's image
 * (its directory, image.json's hash, the kernel's and initrd's size and time), the cluster's
 * segments, WAN and nodes, then the snapshot's name and the request's material (a scenario's text
 * up to the snapshot).
 */
final class ClusterWarmStart implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWarmStart.class);
    private static final Duration LOAD = Duration.ofSeconds(120);
    private static final Duration SAVE = Duration.ofSeconds(180);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    /** Migration's own bandwidth cap (128 MiB/s in QEMU 7.2) would slow the save of a stopped VM for nothing. */
    private static final long MAX_BANDWIDTH = 64L << 30;

    private static final Map<String, String> QEMU_VERSIONS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WarmStart request;
    private final ClusterContext ctx;
    private final List<Node> nodes;
    private final Timing timing;
    private volatile WarmCache.Lease lease;
    private volatile boolean offered;

    ClusterWarmStart(WarmStart request, ClusterContext ctx, List<Node> nodes) {
        this.request = request;
        this.ctx = ctx;
        this.nodes = List.copyOf(nodes);
        this.timing = ctx.options().timing();
    }

    /** Whether the cluster runs from a cache entry (it started warm). */
    boolean warm() {
        return lease != null;
    }

    /** The entry the cluster started from, if it did. */
    Optional<String> entry() {
        WarmCache.Lease l = lease;
        return l == null ? Optional.empty() : Optional.of(l.manifest().id());
    }

    // ---- the key ------------------------------------------------------------------------------

    /** What this cluster's formed state depends on, when its nodes run under {@code accel}. */
    WarmKey key(Accelerator accel) {
        WarmKey.Builder k = WarmKey.builder()
                .part("format", WarmManifest.FORMAT)
                .part("qemu", qemuVersion(ctx.options().qemuBinary()))
                .part("accelerator", accel.name());
        for (Node n : nodes) {
            k.part(n.name() + ".argv", normalisedArgv(n.commandLine(accel).argv(), ctx.tempDir(), ctx.resultsDir()));
            k.part(n.name() + ".image", imageIdentity(n.image()));
            k.part(n.name() + ".spec", nodeSpec(n));
        }
        k.part("segments", ctx.spec().segments());
        k.part("wan", ctx.spec().wan());
        k.part("snapshot", request.snapshot().value());
        request.material().forEach(k::part);
        return k.build();
    }

    /**
     * The command line as the key sees it: the run's temporary and results directories as {@code
     * $TMP} and {@code $RESULTS}, packet captures left out (they do not touch the guest), and on the
     * kernel command line the {@code vmc.ssh_key} word left out (it is re-injected) and the other
     * {@code vmc.*} words sorted (their order comes from a map and means nothing).
     */
    static String normalisedArgv(List<String> argv, Path tempDir, Path resultsDir) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-object") && i + 1 < argv.size() && argv.get(i + 1).startsWith("filter-dump,")) {
                i++;
                continue;
            }
            if (i > 0 && argv.get(i - 1).equals("-append")) {
                a = normalisedAppend(a);
            }
            out.add(a.replace(tempDir.toString(), "$TMP").replace(resultsDir.toString(), "$RESULTS"));
        }
        return String.join(" ", out.stream().map(ShellQuote::quote).toList());
    }

    private static String normalisedAppend(String append) {
        List<String> plain = new ArrayList<>();
        List<String> vmc = new ArrayList<>();
        for (String w : append.strip().split("\\s+")) {
            if (w.startsWith("vmc.ssh_key=")) continue;
            (w.startsWith("vmc.") ? vmc : plain).add(w);
        }
        vmc.sort(null);
        plain.addAll(vmc);
        return String.join(" ", plain);
    }

    private static String nodeSpec(Node n) {
        var s = n.spec();
        return "name=" + s.name() + " id=" + s.id() + " image=" + s.image() + " memoryMiB=" + s.memoryMiB() + " cpus="
                + s.cpus() + " params=" + new TreeMap<>(s.params()) + " kernelArgs=" + s.kernelArgs() + " ready="
                + s.readyCommand() + " display=" + s.display();
    }

    /** The image's directory (its real path: a build's directory names its hash), image.json's SHA-256, kernel and initrd. */
    static String imageIdentity(ImageManifest image) {
        try {
            Path dir = image.directory().toRealPath();
            String json = sha256(Files.readAllBytes(dir.resolve("image.json")));
            String root = image.rootDiskPath().isPresent()
                    ? " root=" + fileIdentity(image.rootDiskPath().get())
                    : "";
            return dir + " image.json=" + json.substring(0, 16) + " kernel=" + fileIdentity(image.kernel()) + " initrd="
                    + fileIdentity(image.initrd()) + root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + image.name() + ": " + e.getMessage(), e);
        }
    }

    private static String fileIdentity(Path p) throws IOException {
        Path real = p.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "(" + a.size() + " bytes, " + a.lastModifiedTime() + ")";
    }

    /** The first line of {@code qemu -version}, asked once per binary. */
    private String qemuVersion(Path binary) {
        return QEMU_VERSIONS.computeIfAbsent(binary.toString(), b -> {
            String out = Commands.with(timing)
                    .succeed(COMMAND, b, "-version")
                    .stdoutText()
                    .strip();
            return b + ": " + out.lines().findFirst().orElse(out);
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Why this cluster cannot be cached at all, or null. */
    private String unsupported() {
        for (Node n : nodes) {
            if (n.image().dataDisk() == null) {
                return "node " + n.name() + "'s image " + n.image().name() + " has no data disk";
            }
            if (n.image().rootDiskPath().isPresent()) {
                return "node " + n.name() + "'s image " + n.image().name() + " has a root disk (not cached yet)";
            }
        }
        return null;
    }

    // ---- starting from an entry ---------------------------------------------------------------

    private record Found(Accelerator accelerator, WarmCache.Lease lease) {}

    /** The entry to start from: the decided accelerator's; under {@code auto} before a trial, KVM's, else TCG's made after KVM failed. */
    private Optional<Found> find() {
        Optional<Accelerator> decided = ctx.accelerators().decided();
        List<Accelerator> order = decided.map(List::of).orElse(List.of(Accelerator.KVM, Accelerator.TCG));
        for (Accelerator a : order) {
            Optional<WarmCache.Lease> l = request.cache().use(key(a));
            if (l.isEmpty()) continue;
            if (decided.isEmpty() && a == Accelerator.TCG && l.get().manifest().kvmFallback() == null) {
                l.get().close(); // made under tcg by request: auto tries KVM
                continue;
            }
            return Optional.of(new Found(a, l.get()));
        }
        return Optional.empty();
    }

    /**
     * Starts every node from the cache entry of this cluster, if there is one, and returns true
     * once all run from it (READY). Returns false when there is none (one line says so) or when
     * its state cannot be loaded: then every QEMU it started is stopped and its data disk dropped,
     * the entry is deleted (unless another run uses it), and one line says why; the caller boots.
     */
    boolean start(Consumer<Consumer<Node>> parallel) {
        String why = unsupported();
        if (why != null) {
            LOG.info("cluster {}: no warm start ({}): booting", ctx.spec().name(), why);
            return false;
        }
        Optional<Found> found = find();
        if (found.isEmpty()) {
            LOG.info(
                    "cluster {}: no cached formed cluster in {}: booting (snapshot '{}' will be cached)",
                    ctx.spec().name(),
                    request.cache().root(),
                    request.snapshot().value());
            return false;
        }
        Found f = found.get();
        WarmManifest m = f.lease().manifest();
        if (ctx.accelerators().decided().isEmpty()) {
            ctx.accelerators()
                    .assume(
                            f.accelerator(),
                            "not tried: the cached state was saved under TCG after KVM failed on this host ("
                                    + m.kvmFallback() + ")");
        }
        long t0 = System.nanoTime();
        long[] t = new long[4];
        Map<String, Long> steps = new ConcurrentSkipListMap<>();
        try {
            parallel.accept(n -> {
                try {
                    n.startIncoming(f.accelerator(), f.lease().node(n.name()).disk());
                } catch (IOException e) {
                    throw new UncheckedIOException(n.name() + ": QEMU's sockets did not open: " + e.getMessage(), e);
                }
            });
            t[0] = System.nanoTime();
            parallel.accept(n -> n.loadIncoming(f.lease().node(n.name()).vmstate(), LOAD));
            t[1] = System.nanoTime();
            parallel.accept(Node::resume);
            t[2] = System.nanoTime();
            parallel.accept(n -> steps.put(
                    n.name(), ClusterSnapshots.setClock(n, reinjectCommand(n.image(), ctx.sshKeys(), randomSeed()))));
            parallel.accept(Node::warmReady);
            t[3] = System.nanoTime();
        } catch (RuntimeException e) {
            fallBack(f, e, parallel);
            return false;
        }
        lease = f.lease();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", ctx.spec().name());
        fields.put("entry", m.id());
        fields.put("dir", f.lease().dir().toString());
        fields.put("snapshot", m.snapshot());
        fields.put("created", m.created());
        fields.put("accelerator", f.accelerator().name());
        fields.put("start_ms", (t[0] - t0) / 1_000_000);
        fields.put("load_ms", (t[1] - t[0]) / 1_000_000);
        fields.put("resume_ms", (t[2] - t[1]) / 1_000_000);
        fields.put("fixups_ms", (t[3] - t[2]) / 1_000_000);
        fields.put("total_ms", (t[3] - t0) / 1_000_000);
        fields.put("clock_step_s", steps);
        ctx.events().record(EventKind.CLUSTER_WARM_START, null, fields);
        LOG.info(
                "cluster {} started warm in {} ms from the cached formed cluster {} (snapshot '{}' of {})",
                ctx.spec().name(),
                (t[3] - t0) / 1_000_000,
                m.id(),
                m.snapshot(),
                m.created());
        return true;
    }

    private void fallBack(Found f, RuntimeException e, Consumer<Consumer<Node>> parallel) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        try {
            parallel.accept(n -> {
                n.crash();
                n.dropDataDisk();
            });
        } catch (RuntimeException cleanup) {
            e.addSuppressed(cleanup);
            throw new IllegalStateException(
                    "a failed warm start (" + why + ") could not be undone: " + cleanup.getMessage(), e);
        }
        boolean discarded = request.cache().discard(f.lease());
        LOG.warn(
                "cluster {}: the cached formed cluster {} did not load ({}); booting{}",
                ctx.spec().name(),
                f.lease().manifest().id(),
                why.strip().replace('\n', ' '),
                discarded ? " (the entry is deleted: this run caches it again)" : "");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", ctx.spec().name());
        fields.put("entry", f.lease().manifest().id());
        fields.put("error", why);
        fields.put("discarded", discarded);
        ctx.events().record(EventKind.CLUSTER_WARM_START_FAILED, null, fields);
    }

    private static String randomSeed() {
        byte[] b = new byte[64];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * The one guest command after a warm start that gives the guest this run's secrets: the run's
     * public key as the SSH user's only authorized key (the saving run's is gone) and in the key
     * parameter's file ({@code /run/vmc/params/KEY}, if the image keeps params there), and 64
     * bytes of host randomness mixed into the kernel's pool (every warm start would otherwise go
     * on from the same random state).
     */
    static String reinjectCommand(ImageManifest image, SshKeys keys, String seedBase64) {
        List<String> parts = new ArrayList<>();
        ImageManifest.Ssh ssh =
                image.channels() == null ? null : image.channels().ssh();
        if (ssh != null && keys != null) {
            String user = ssh.user() == null ? "root" : ssh.user();
            String home = user.equals("root")
                    ? "/root"
                    : "$(awk -F: -v u=" + ShellQuote.quote(user) + " '$1==u{print $6}' /etc/passwd)";
            parts.add("h=" + home + " && mkdir -p \"$h/.ssh\" && printf '%s\\n' "
                    + ShellQuote.quote(keys.authorizedKeysLine())
                    + " > \"$h/.ssh/authorized_keys\" && chmod 600 \"$h/.ssh/authorized_keys\""
                    + (user.equals("root") ? "" : " && chown -R " + ShellQuote.quote(user) + " \"$h/.ssh\""));
            if (ssh.keyParam() != null) {
                parts.add("if [ -d /run/vmc/params ]; then printf '%s' " + ShellQuote.quote(keys.kernelParamValue())
                        + " > /run/vmc/params/" + ShellQuote.quote(ssh.keyParam()) + "; fi");
            }
        }
        parts.add("printf '%s' " + ShellQuote.quote(seedBase64) + " | base64 -d > /dev/urandom");
        return String.join(" && ", parts);
    }

    // ---- writing an entry ---------------------------------------------------------------------

    /**
     * Called while the cluster is frozen at snapshot {@code name}, every node saved: when it is
     * the requested snapshot, taken for the first time, on a cluster that booted, writes the cut
     * to the cache unless it has the entry or another run holds it. A failure is logged (one line)
     * and recorded, never thrown: the snapshot itself was taken.
     */
    void frozenAt(String name, Consumer<Consumer<Node>> parallel) {
        if (warm() || offered || !name.equals(request.snapshot().value())) {
            return;
        }
        offered = true;
        String why = unsupported();
        if (why != null) {
            LOG.info("cluster {}: snapshot '{}' is not cached: {}", ctx.spec().name(), name, why);
            return;
        }
        Accelerator accel = nodes.get(0).accelerator().orElseThrow();
        WarmKey key = key(accel);
        long t0 = System.nanoTime();
        Optional<WarmCache.Writing> w = request.cache().write(key, ctx.spec().name(), name);
        if (w.isEmpty()) {
            LOG.info(
                    "cluster {}: the cache has formed cluster {} already, or another run writes or uses it: not written",
                    ctx.spec().name(),
                    key.id());
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", ctx.spec().name());
        fields.put("entry", key.id());
        fields.put("snapshot", name);
        try (WarmCache.Writing writing = w.get()) {
            parallel.accept(n -> save(n, writing.node(n.name())));
            WarmManifest m = writing.publish(
                    nodes.stream().map(Node::name).toList(),
                    accel.name(),
                    ctx.accelerators().fallbackReason().orElse(null));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            fields.put("dir", request.cache().root().resolve(m.id()).toString());
            fields.put("bytes", m.bytes());
            fields.put("ms", ms);
            ctx.events().record(EventKind.CLUSTER_WARM_CACHE, null, fields);
            LOG.info(
                    "cluster {}: formed cluster cached as {} ({} MiB, {} ms): the next run of it starts warm",
                    ctx.spec().name(),
                    m.id(),
                    m.bytes() >> 20,
                    ms);
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            fields.put("error", error);
            ctx.events().record(EventKind.CLUSTER_WARM_CACHE, null, fields);
            LOG.warn(
                    "cluster {}: the formed cluster was not cached ({}); the run goes on",
                    ctx.spec().name(),
                    error);
        }
    }

    /** One frozen node's state by migration into {@code files.vmstate()}, its data disk exported. */
    private void save(Node n, WarmCache.NodeFiles files) {
        qmp(
                n,
                QmpCommand.of("migrate-set-parameters", Map.of("max-bandwidth", MAX_BANDWIDTH)),
                "migrate-set-parameters");
        qmp(
                n,
                QmpCommand.of(
                        "migrate",
                        Map.of(
                                "uri",
                                "exec:cat > " + ShellQuote.quote(files.vmstate().toString()))),
                "migrate");
        Wait.forCondition("node " + n.name() + " to save its state to " + files.vmstate())
                .timing(timing)
                .every(Duration.ofMillis(20), Duration.ofMillis(200))
                .atMost(SAVE)
                .until(() -> {
                    JsonNode r = qmp(n, QmpCommand.of("query-migrate", Map.of()), "query-migrate");
                    String status = r.path("status").asText();
                    return switch (status) {
                        case "completed" -> Boolean.TRUE;
                        case "failed", "cancelled" ->
                            throw Wait.giveUp(n.name() + ": migration to " + files.vmstate() + " " + status + ": "
                                    + r.path("error-desc").asText("(QEMU said no more)"));
                        default -> throw Wait.notYet("migration " + status);
                    };
                });
        DiskImages.with(timing).export(n.dataDiskFile(), files.disk());
    }

    private JsonNode qmp(Node n, QmpCommand command, String what) {
        try {
            return n.qmp().execute(command).get(timing.scale(COMMAND).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SnapshotException(
                    n.name() + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SnapshotException(n.name() + ": no answer to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(n.name() + ": interrupted during " + what, e);
        }
    }

    /** Releases the entry (after every QEMU using its disks has gone). */
    @Override
    public void close() {
        WarmCache.Lease l = lease;
        lease = null;
        if (l != null) {
            l.close();
        }
    }
}
