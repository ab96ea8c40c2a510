package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.history.History;
import io.vmcluster.history.OpFunction;
import io.vmcluster.history.OpType;
import io.vmcluster.history.Values;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random histories of a real register are linearizable; the same histories with one read's value
 * corrupted so that no order can explain it are caught.
 */
class LinearizablePropertyTest {
    private static final int RUNS = 150;

    @Test
    void every_history_of_a_real_register_is_linearizable() {
        for (int seed = 0; seed < RUNS; seed++) {
            int clients = 1 + seed % 6;
            int keys = seed % 3 == 0 ? 3 : 1;
            var ops = RandomRegisterHistories.generate(seed, clients, keys, 40);
            History h = RandomRegisterHistories.history(ops, keys);
            Verdict v = LinearizableChecker.register().check(h, FaultWindows.none());
            assertThat(v.validity()).as("seed %d: %s", seed, v.explanation()).isEqualTo(Validity.VALID);
        }
    }

    @Test
    void one_corrupted_read_is_caught() {
        int caught = 0;
        for (int seed = 0; seed < RUNS; seed++) {
            int clients = 1 + seed % 6;
            var ops = RandomRegisterHistories.generate(seed, clients, 1, 40);
            SplittableRandom r = new SplittableRandom(seed * 31L + 7);
            // a read, and a value that certainly cannot be read there: one written and overwritten
            // (by an ok write that completed) before the read began, and never written again
            List<RandomRegisterHistories.Gen> reads = ops.stream()
                    .filter(g -> g.f.equals(OpFunction.READ) && g.type == OpType.OK)
                    .toList();
            if (reads.isEmpty()) {
                continue;
            }
            RandomRegisterHistories.Gen read = reads.get(r.nextInt(reads.size()));
            Long stale = null;
            for (RandomRegisterHistories.Gen w : ops) {
                if (!w.f.equals(OpFunction.WRITE) || w.type != OpType.OK || w.complete >= read.invoke) {
                    continue;
                }
                boolean overwritten = ops.stream()
                        .anyMatch(o -> o.f.equals(OpFunction.WRITE)
                                && o.type == OpType.OK
                                && o.invoke > w.complete
                                && o.complete < read.invoke);
                if (overwritten && !read.output.equals(w.input)) {
                    stale = w.input.longValue();
                }
            }
            if (stale == null) {
                read.output = Values.of(-1); // never written at all
            } else {
                read.output = Values.of(stale);
            }
            History h = RandomRegisterHistories.history(ops, 1);
            Verdict v = LinearizableChecker.register().check(h, FaultWindows.none());
            assertThat(v.validity())
                    .as("seed %d: a read of %s must not pass: %s", seed, read.output, v.explanation())
                    .isNotEqualTo(Validity.VALID);
            if (v.validity() == Validity.INVALID) {
                caught++;
                assertThat(v.explanation()).as("seed %d", seed).contains("*");
            }
        }
        assertThat(caught).as("decided, not just unknown").isGreaterThan(RUNS * 9 / 10);
    }
}
