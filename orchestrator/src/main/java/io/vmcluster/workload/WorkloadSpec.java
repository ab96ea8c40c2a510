package io.vmcluster.workload;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A workload: {@code clients} logical processes, each doing one operation at a time, drawn from a
 * weighted {@code mix}, until {@code duration} has passed or {@code ops} operations were started
 * (whichever comes first; at least one is given), at most {@code rate} operations per second over
 * all clients when a rate is given. Then optional final reads; probes sample throughout.
 *
 * <p>Built with {@link #builder(String)}:
 *
 * <pre>{@code
 * WorkloadSpec spec = WorkloadSpec.builder("jobs")
 *         .clients(3).duration(Duration.ofSeconds(30)).seed(7)
 *         .op(OpSpec.of(OpFunction.ADD, new Transport.Http("POST", 3020, "/new-job", Map.of(), "url=${value}")))
 *         .finalReads(new FinalReads(OpSpec.of(OpFunction.READ, new Transport.Http("GET", 3020, "/queue/list",
 *                 Map.of(), null)).parse(ValueParser.json("$[*].url")), Duration.ofSeconds(30)))
 *         .build();
 * }</pre>
 *
 * @param name the workload's name (history file, events, messages)
 * @param clients concurrent logical clients, at least 1
 * @param duration how long clients start operations, or null
 * @param ops how many operations the clients start in all, or null
 * @param rate operations per second over all clients, or null for as fast as they complete
 * @param mix the functions and their weights; empty for a workload of probes only (no clients run;
 *     the probes sample for the duration)
 * @param keys independent keys {@code k1..kN} an operation picks from at random; 0 for none (no
 *     {@code key} in the history)
 * @param seed the seed of every random choice (function, node, key)
 * @param opTimeout the bound of one operation (nominal); past it the operation is {@code info}
 * @param finalReads the final phase, or null
 * @param probes samplers running while the workload runs
 */
public record WorkloadSpec(
        String name,
        int clients,
        Duration duration,
        Long ops,
        Double rate,
        List<OpSpec> mix,
        int keys,
        long seed,
        Duration opTimeout,
        FinalReads finalReads,
        List<ProbeSpec> probes) {
    public WorkloadSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opTimeout, "opTimeout");
        mix = List.copyOf(mix);
        probes = List.copyOf(probes);
        if (clients < 1) throw new IllegalArgumentException("clients must be at least 1, got " + clients);
        if (duration == null && ops == null) {
            throw new IllegalArgumentException("a workload needs a duration or an op count");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (ops != null && ops < 1) throw new IllegalArgumentException("ops must be at least 1, got " + ops);
        if (rate != null && !(rate > 0)) throw new IllegalArgumentException("rate must be positive, got " + rate);
        if (mix.isEmpty() && probes.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one operation or one probe");
        }
        if (keys < 0) throw new IllegalArgumentException("keys must not be negative, got " + keys);
        if (opTimeout.isNegative() || opTimeout.isZero()) {
            throw new IllegalArgumentException("the op timeout must be positive, got " + opTimeout);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent construction; defaults: 1 client, 5 s op timeout, seed 0, no keys. */
    public static final class Builder {
        private final String name;
        private int clients = 1;
        private Duration duration;
        private Long ops;
        private Double rate;
        private final List<OpSpec> mix = new java.util.ArrayList<>();
        private int keys;
        private long seed;
        private Duration opTimeout = Duration.ofSeconds(5);
        private FinalReads finalReads;
        private final List<ProbeSpec> probes = new java.util.ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder clients(int n) {
            clients = n;
            return this;
        }

        public Builder duration(Duration d) {
            duration = d;
            return this;
        }

        public Builder ops(long n) {
            ops = n;
            return this;
        }

        public Builder rate(double perSecond) {
            rate = perSecond;
            return this;
        }

        public Builder op(OpSpec op) {
            mix.add(op);
            return this;
        }

        public Builder keys(int n) {
            keys = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder opTimeout(Duration t) {
            opTimeout = t;
            return this;
        }

        public Builder finalReads(FinalReads f) {
            finalReads = f;
            return this;
        }

        public Builder probe(ProbeSpec p) {
            probes.add(p);
            return this;
        }

        public WorkloadSpec build() {
            return new WorkloadSpec(name, clients, duration, ops, rate, mix, keys, seed, opTimeout, finalReads, probes);
        }
    }
}
