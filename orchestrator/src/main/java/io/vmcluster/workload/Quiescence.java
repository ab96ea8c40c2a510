package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Values;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Waits, within a bound, until every node answers the final read ok and with the same value (lists
 * compared as multisets: nodes may order them differently). The polls are not recorded: they only
 * decide when the recorded final reads start.
 */
final class Quiescence {
    private final FinalReads reads;
    private final OpExecutor executor;
    private final List<String> nodes;
    private final Timing timing;
    private final Duration opTimeout;
    private volatile String lastSeen = "no read yet";

    Quiescence(FinalReads reads, OpExecutor executor, List<String> nodes, Timing timing, Duration opTimeout) {
        this.reads = reads;
        this.executor = executor;
        this.nodes = nodes;
        this.timing = timing;
        this.opTimeout = opTimeout;
    }

    /** True when the nodes agreed within the bound (and {@code outer}); false when they did not. */
    boolean await(Deadline outer) {
        if (reads.quiescence().isZero()) {
            lastSeen = "not waited for (quiescence 0)";
            return true;
        }
        Deadline d = Deadline.after(outer.cap(timing.scale(reads.quiescence())));
        try {
            Wait.forCondition("every node to answer " + reads.read().f() + " with the same value")
                    .every(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .until(d, () -> {
                        Map<String, CompletableFuture<Completion>> answers = new LinkedHashMap<>();
                        for (String n : nodes) {
                            answers.put(
                                    n,
                                    CompletableFuture.supplyAsync(
                                            () -> executor.run(reads.read(), n, null, Values.NULL, opTimeout)));
                        }
                        Map<String, String> seen = new LinkedHashMap<>();
                        List<JsonNode> values = new ArrayList<>();
                        answers.forEach((n, f) -> {
                            Completion c = f.join();
                            seen.put(
                                    n,
                                    c.type() == OpType.OK
                                            ? summary(c.value())
                                            : c.type().wireName() + " " + c.error());
                            if (c.type() == OpType.OK) values.add(normal(c.value()));
                        });
                        lastSeen = seen.toString();
                        if (values.size() == nodes.size()
                                && values.stream().distinct().count() == 1) {
                            return Boolean.TRUE;
                        }
                        throw Wait.notYet(lastSeen);
                    });
            return true;
        } catch (WaitTimeoutException e) {
            return false;
        }
    }

    String lastSeen() {
        return lastSeen;
    }

    private static JsonNode normal(JsonNode v) {
        if (v == null || !v.isArray()) return v;
        List<JsonNode> items = Values.elements(v);
        items.sort(Comparator.comparing(JsonNode::toString));
        return Values.fromJava(items);
    }

    private static String summary(JsonNode v) {
        if (v != null && v.isArray()) return v.size() + " elements";
        String s = Values.show(v);
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
