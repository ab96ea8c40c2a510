package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.HistoryWriter;
import io.vmcluster.history.Op;
import io.vmcluster.history.OpType;
import io.vmcluster.history.ProcessIds;
import io.vmcluster.history.Values;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A running workload: {@code clients} threads, each one logical process doing one operation at a
 * time, recording every invocation and completion in the {@link HistoryWriter} as it happens, plus
 * one sampler thread per probe and node. It runs in the background from {@link #start} until its
 * duration or op count is reached, or {@link #stop}; {@link #finish} then does the final reads.
 *
 * <pre>{@code
 * try (HistoryWriter h = HistoryWriter.open(dir.resolve("history.jsonl"), events, fields);
 *      Workload w = Workload.start(spec, new ClusterTarget(cluster), h, Timing.standard(), name -> null)) {
 *     try (var p = faults.partition(...)) { ... }   // faults while it runs
 *     WorkloadSummary s = w.finish(Deadline.after(Duration.ofMinutes(2)));
 * }
 * }</pre>
 *
 * <p>Process numbers follow {@link ProcessIds}: client {@code i} of {@code n} is process {@code i}
 * until an {@code info}, then {@code i + n + nodes}, ...; the final read on node {@code j} is client
 * {@code n + j}. Every random choice comes from the spec's seed (one generator per client).
 */
public final class Workload implements AutoCloseable {
    private final WorkloadSpec spec;
    private final WorkloadTarget target;
    private final HistoryWriter history;
    private final Timing timing;
    private final OpExecutor executor;
    private final List<String> nodes;
    private final ProcessIds processes;
    private final AtomicLong values = new AtomicLong();
    /** What each register key was last seen to hold: a cas's {@code old}. */
    private final LastSeen lastSeen = new LastSeen();

    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong fail = new AtomicLong();
    private final AtomicLong info = new AtomicLong();
    private final AtomicLong probeSamples = new AtomicLong();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopClients = new CountDownLatch(1);
    private final CountDownLatch stopProbes = new CountDownLatch(1);
    private final List<Thread> clients = new ArrayList<>();
    private final List<Thread> probes = new ArrayList<>();
    private final long startNanos;
    private final long endNanos;
    private final long intervalNanos;
    private final AtomicLong nextSlot;
    private final AtomicLong lastClientEnd = new AtomicLong();

    private Workload(
            WorkloadSpec spec,
            WorkloadTarget target,
            HistoryWriter history,
            Timing timing,
            Function<String, String> variables) {
        this.spec = spec;
        this.target = target;
        this.history = history;
        this.timing = timing;
        this.nodes = List.copyOf(target.nodes());
        this.executor = new OpExecutor(target, timing, variables);
        this.processes = new ProcessIds(spec.clients() + nodes.size());
        this.startNanos = System.nanoTime();
        this.endNanos = spec.duration() == null
                ? Long.MAX_VALUE
                : startNanos + timing.scale(spec.duration()).toNanos();
        this.intervalNanos = spec.rate() == null ? 0 : Math.max(1, Math.round(1e9 / spec.rate()));
        this.nextSlot = new AtomicLong(startNanos);
    }

    /**
     * Starts the clients and probes and returns at once.
     *
     * @param variables the value of any {@code ${name}} in a template other than value, key and node,
     *     looked up when each operation starts; null for a name it does not know
     */
    public static Workload start(
            WorkloadSpec spec,
            WorkloadTarget target,
            HistoryWriter history,
            Timing timing,
            Function<String, String> variables) {
        Workload w = new Workload(spec, target, history, timing, variables);
        for (int c = 0; c < (spec.mix().isEmpty() ? 0 : spec.clients()); c++) {
            int client = c;
            w.clients.add(thread("c" + c, spec, () -> w.client(client)));
        }
        for (ProbeSpec p : spec.probes()) {
            for (String node : p.nodes().isEmpty() ? w.nodes : p.nodes()) {
                w.probes.add(thread("probe-" + p.f() + "-" + node, spec, () -> w.probe(p, node)));
            }
        }
        w.clients.forEach(Thread::start);
        w.probes.forEach(Thread::start);
        return w;
    }

    private static Thread thread(String role, WorkloadSpec spec, Runnable body) {
        Thread t = new Thread(body, "vmc-workload-" + spec.name() + "-" + role);
        t.setDaemon(true);
        return t;
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** True once every client stopped (duration or op count reached, or {@link #stop}). */
    public boolean clientsDone() {
        return clients.stream().noneMatch(Thread::isAlive);
    }

    /** Tells the clients to start no new operation; the ones in flight complete (within their bound). */
    public void stop() {
        stopClients.countDown();
    }

    /**
     * Waits for the clients to end by themselves (duration or op count), at most until {@code
     * deadline}; then stops them. Runs the final reads, stops the probes.
     *
     * @return what the workload did
     */
    public WorkloadSummary finish(Deadline deadline) {
        joinClients(deadline);
        if (clients.isEmpty() && endNanos != Long.MAX_VALUE) {
            // probes only: they sample for the duration
            long wait =
                    Math.min(endNanos - System.nanoTime(), deadline.remaining().toNanos());
            try {
                if (wait > 0) stopClients.await(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop();
        joinClients(Deadline.after(timing.scale(spec.opTimeout()).plusSeconds(5)));
        for (Thread t : clients) {
            if (t.isAlive()) {
                errors.add(t.getName() + " did not stop within its operation's bound; its operation stays open");
            }
        }
        int finalReads = 0;
        Boolean quiesced = null;
        String quiescence = null;
        if (spec.finalReads() != null) {
            Quiescence q = new Quiescence(spec.finalReads(), executor, nodes, timing, spec.opTimeout());
            quiesced = q.await(deadline);
            quiescence = q.lastSeen();
            finalReads = finalReads(spec.finalReads().read());
        }
        stopProbes.countDown();
        for (Thread t : probes) {
            join(t, Deadline.after(timing.scale(spec.opTimeout()).plusSeconds(5)));
        }
        long end = lastClientEnd.get() == 0 ? System.nanoTime() : lastClientEnd.get();
        return new WorkloadSummary(
                spec.name(),
                started.get(),
                ok.get(),
                fail.get(),
                info.get(),
                Duration.ofNanos(end - startNanos),
                finalReads,
                quiesced,
                quiescence,
                probeSamples.get(),
                errors);
    }

    /** Stops clients and probes without final reads; idempotent. The history stays open (its owner closes it). */
    @Override
    public void close() {
        stop();
        stopProbes.countDown();
        Deadline d = Deadline.after(timing.scale(spec.opTimeout()).plusSeconds(5));
        clients.forEach(t -> join(t, d));
        probes.forEach(t -> join(t, d));
    }

    private void joinClients(Deadline d) {
        for (Thread t : clients) {
            join(t, d);
        }
    }

    private static void join(Thread t, Deadline d) {
        try {
            long ms = d.remaining().toMillis();
            if (ms > 0) t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the clients

    private void client(int client) {
        SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + client);
        try {
            while (true) {
                if (stopClients.getCount() == 0 || System.nanoTime() >= endNanos) break;
                if (spec.ops() != null && started.getAndIncrement() >= spec.ops()) {
                    started.decrementAndGet();
                    break;
                }
                if (spec.ops() == null) started.incrementAndGet();
                if (!pace()) {
                    started.decrementAndGet();
                    break;
                }
                OpSpec op = pick(random);
                JsonNode key = spec.keys() == 0 ? null : Values.of("k" + (1 + random.nextInt(spec.keys())));
                JsonNode value = switch (op.value()) {
                    case UNIQUE -> Values.of(values.incrementAndGet());
                    case CAS -> Values.cas(lastSeen.get(key), Values.of(values.incrementAndGet()));
                    case NONE -> Values.NULL;
                };
                String node;
                try {
                    node = op.node().next(nodes, random);
                } catch (IllegalArgumentException e) {
                    node = null;
                }
                Op inv = history.invoke(processes.process(client), op.f(), key, value, node);
                Completion c = node == null
                        ? Completion.fail("not sent: " + op.node() + " names no node now")
                        : executor.run(op, node, key, value, spec.opTimeout());
                record(inv, c);
                lastSeen.learn(op.f(), key, c.type(), c.value() == null ? value : c.value());
                if (c.type() == OpType.INFO) {
                    processes.replace(client);
                }
            }
        } catch (RuntimeException e) {
            if (!history.isClosed()) {
                errors.add(Thread.currentThread().getName() + ": " + OpExecutor.exception(e));
            }
        } finally {
            lastClientEnd.accumulateAndGet(System.nanoTime(), Math::max);
        }
    }

    private void record(Op inv, Completion c) {
        complete(inv, c);
        switch (c.type()) {
            case OK -> ok.incrementAndGet();
            case FAIL -> fail.incrementAndGet();
            default -> info.incrementAndGet();
        }
    }

    private void complete(Op inv, Completion c) {
        history.complete(inv, c.type(), c.value() == null ? inv.value() : c.value(), c.error());
    }

    /** Waits for this operation's slot under the rate; false when stopped or out of time meanwhile. */
    private boolean pace() {
        if (intervalNanos == 0) return true;
        long slot = nextSlot.getAndAdd(intervalNanos);
        long wait = slot - System.nanoTime();
        if (wait <= 0) return true;
        if (slot >= endNanos) return false;
        try {
            return !stopClients.await(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private OpSpec pick(SplittableRandom random) {
        List<OpSpec> mix = spec.mix();
        if (mix.size() == 1) return mix.get(0);
        int total = mix.stream().mapToInt(OpSpec::weight).sum();
        int r = random.nextInt(total);
        for (OpSpec op : mix) {
            r -= op.weight();
            if (r < 0) return op;
        }
        throw new AssertionError();
    }

    // ---- the final phase

    private int finalReads(OpSpec read) {
        List<Thread> readers = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        for (int j = 0; j < nodes.size(); j++) {
            int client = spec.clients() + j;
            String node = nodes.get(j);
            JsonNode key = null;
            readers.add(thread("final-read-" + node, spec, () -> {
                try {
                    Op inv = history.invoke(processes.process(client), read.f(), key, Values.NULL, node);
                    complete(inv, executor.run(read, node, key, Values.NULL, spec.opTimeout()));
                    done.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.add("final read on " + node + ": " + OpExecutor.exception(e));
                }
            }));
        }
        readers.forEach(Thread::start);
        Deadline d = Deadline.after(timing.scale(spec.opTimeout()).plusSeconds(5));
        readers.forEach(t -> join(t, d));
        return (int) done.get();
    }

    // ---- the probes

    private void probe(ProbeSpec p, String node) {
        try {
            do {
                JsonNode value = null;
                String error = null;
                try {
                    String cmd = executor.substitute(p.command(), node, null, null);
                    var down = target.unavailable(node);
                    var r = down.isPresent() ? null : target.exec(node, cmd, spec.opTimeout());
                    if (r == null) {
                        error = down.get() + ": not sampled";
                    } else if (r.exitCode() != 0) {
                        error = "exit " + r.exitCode() + ": " + OpExecutor.abbreviate(r.stderrText() + r.stdoutText());
                    } else {
                        value = p.parse().parse(r.stdoutText(), null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    error = OpExecutor.exception(e);
                }
                history.probe(node, p.f(), error == null ? value : null, error);
                probeSamples.incrementAndGet();
            } while (!stopProbes.await(timing.scale(p.every()).toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!history.isClosed()) {
                errors.add("probe " + p.f() + " on " + node + ": " + OpExecutor.exception(e));
            }
        }
    }
}
