package io.vmcluster.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The handle {@link Faults} returns: knows how to undo itself and records its end. */
final class FaultHandle implements Fault {
    /** How to undo a fault once applied. */
    @FunctionalInterface
    interface Undo {
        void run();
    }

    private final Faults owner;
    private final String id;
    private final FaultKind kind;
    private final String target;
    private final String node;
    private final Map<String, Object> params;
    private final Instant startedAt;
    private final long startNanos;
    private final Undo undo;
    private final AtomicBoolean active = new AtomicBoolean(true);

    FaultHandle(
            Faults owner,
            String id,
            FaultKind kind,
            String target,
            String node,
            Map<String, Object> params,
            Undo undo) {
        this.owner = owner;
        this.id = id;
        this.kind = kind;
        this.target = target;
        this.node = node;
        this.params = Map.copyOf(params);
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        this.undo = undo;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public FaultKind kind() {
        return kind;
    }

    @Override
    public String target() {
        return target;
    }

    /** The single node concerned, or null for cluster-wide faults. */
    String node() {
        return node;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public boolean active() {
        return active.get();
    }

    @Override
    public void close() {
        if (!active.compareAndSet(true, false)) {
            return;
        }
        long t0 = System.nanoTime();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fault", id);
        fields.put("faultKind", kind.wireName());
        fields.put("target", target);
        try {
            undo.run();
        } catch (RuntimeException e) {
            fields.put("error", String.valueOf(e.getMessage()));
            throw e instanceof FaultException fe
                    ? fe
                    : new FaultException(kind, target, "undo failed: " + e.getMessage(), e);
        } finally {
            fields.put("undoMs", Duration.ofNanos(System.nanoTime() - t0).toNanos() / 1e6);
            fields.put(
                    "durationMs",
                    Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
            owner.ended(this, fields);
        }
    }

    @Override
    public String toString() {
        return id + " " + kind.wireName() + " " + target + " " + params + (active() ? " (active)" : " (undone)");
    }
}
