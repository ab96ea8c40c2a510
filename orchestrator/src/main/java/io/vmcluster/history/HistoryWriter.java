package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Appends a workload's history to {@code history.jsonl} as it happens: one line per invocation,
 * completion and probe sample, flushed per line, so a killed run keeps its history so far. Safe for
 * any number of client threads.
 *
 * <p>The writer stamps each line itself, under its lock: the {@code index} (dense, in file order)
 * and the {@code time} (nanoseconds since {@link #open}, from one monotonic clock). A client calls
 * {@link #invoke} just before its request leaves and {@link #complete} just after the answer
 * arrived, so the recorded interval always contains the real one, and file order is real-time
 * order. It refuses what would make the history meaningless: a second open operation on a process,
 * a process reused after {@code info}, a completion of nothing.
 *
 * <p><b>The clocks.</b> When opened with an {@link EventSink}, the writer records {@link
 * EventKind#WORKLOAD_START} in the run's events at the moment its clock reads 0. A fault event's
 * place on the history clock is its time minus that event's time ({@code FaultWindows} does this).
 */
public final class HistoryWriter implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private final LongSupplier clock;
    private long origin;
    private final History.Pairing rules = new History.Pairing();
    private final List<HistoryEntry> entries = new ArrayList<>();
    private boolean closed;

    private HistoryWriter(Path file, LongSupplier clock) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        this.out = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.clock = clock;
        this.origin = clock.getAsLong();
    }

    /** Creates (truncating) the file; time 0 is now, on {@link System#nanoTime()}. */
    public static HistoryWriter open(Path file) {
        return open(file, System::nanoTime);
    }

    /** Creates (truncating) the file with the given nanosecond clock (tests pass a fake one). */
    public static HistoryWriter open(Path file, LongSupplier nanoClock) {
        try {
            return new HistoryWriter(file, nanoClock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create history file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the file and records {@link EventKind#WORKLOAD_START} in {@code events} at time 0,
     * which is how fault windows are placed on this history's clock.
     *
     * @param fields the event's fields: at least {@code workload} (its name) and {@code history}
     *     (this file's path relative to the results directory); {@code checkers} (specs such as
     *     {@code set} or {@code time-to-leader:slo=10s}) lets {@code vmcluster analyze DIR} re-run them
     */
    public static HistoryWriter open(Path file, EventSink events, Map<String, Object> fields) {
        if (!fields.containsKey("history")) {
            throw new IllegalArgumentException("the workload.start event needs the field 'history'");
        }
        HistoryWriter w = open(file);
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        // The pair (origin, wall) ties the history clock to the events' wall clock. A thread
        // preempted between the two readings would shift every fault window earlier by the delay,
        // so take the tightest of a few bracketed readings.
        long origin = 0;
        Instant wall = null;
        long tightest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && tightest > 20_000; attempt++) {
            long before = System.nanoTime();
            Instant reading = Instant.now();
            long after = System.nanoTime();
            if (after - before < tightest) {
                tightest = after - before;
                origin = before + (after - before) / 2;
                wall = reading;
            }
        }
        synchronized (w) {
            w.origin = origin;
        }
        events.record(new Event(wall, EventKind.WORKLOAD_START.wireName(), null, copy));
        return w;
    }

    public Path file() {
        return file;
    }

    /** Nanoseconds since the writer was opened. */
    public synchronized long now() {
        return clock.getAsLong() - origin;
    }

    /** Records an invocation; call it just before the request leaves. */
    public Op invoke(long process, OpFunction f, JsonNode key, JsonNode value, String node) {
        synchronized (this) {
            Op op = new Op(rules.nextIndex(), now(), process, OpType.INVOKE, f, key, value, node, null);
            append(op);
            return op;
        }
    }

    /** Records that {@code invocation} happened, with the value it returned (a read's value). */
    public Op ok(Op invocation, JsonNode value) {
        return complete(invocation, OpType.OK, value, null);
    }

    /** Records that {@code invocation} certainly did not happen. */
    public Op fail(Op invocation, String error) {
        return complete(invocation, OpType.FAIL, invocation.value(), error);
    }

    /** Records that {@code invocation} may or may not have happened; its process is done for good. */
    public Op info(Op invocation, String error) {
        return complete(invocation, OpType.INFO, invocation.value(), error);
    }

    /** Records the completion of {@code invocation}; call it just after the answer arrived. */
    public Op complete(Op invocation, OpType type, JsonNode value, String error) {
        if (!type.isCompletion()) {
            throw new IllegalArgumentException("complete() takes ok, fail or info, not " + type.wireName());
        }
        synchronized (this) {
            Op open = rules.openInvocation(invocation.process());
            if (open == null || open.index() != invocation.index()) {
                throw new IllegalStateException(
                        "process " + invocation.process() + " has no open invocation with index " + invocation.index()
                                + "; it was completed already or never recorded here");
            }
            Op op = new Op(
                    rules.nextIndex(),
                    now(),
                    invocation.process(),
                    type,
                    invocation.f(),
                    invocation.key(),
                    value,
                    invocation.node(),
                    error);
            append(op);
            return op;
        }
    }

    /** Records a probe sample; {@code value} null (and an {@code error}) when the node did not answer. */
    public Probe probe(String node, OpFunction f, JsonNode value, String error) {
        synchronized (this) {
            Probe p = new Probe(now(), node, f, value, error);
            append(p);
            return p;
        }
    }

    /** True once {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** True when {@code process} ended in info and must not be used again. */
    public synchronized boolean crashed(long process) {
        return rules.crashed(process);
    }

    /** Everything recorded so far. */
    public synchronized History history() {
        return History.of(entries);
    }

    private void append(HistoryEntry e) {
        if (closed) {
            throw new IllegalStateException("the history " + file + " is closed");
        }
        String problem = rules.accept(e);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        entries.add(e);
        try {
            out.write(HistoryJson.toLine(e));
            out.write('\n');
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write to history file " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close history file " + file + ": " + e.getMessage(), e);
        }
    }
}
