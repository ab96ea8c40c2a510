package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtherCheckersTest {
    @Nested
    class Counter {
        private Verdict check(H h) {
            return new CounterChecker(0).check(h.build(), FaultWindows.none());
        }

        @Test
        void reads_within_the_bounds_of_acknowledged_and_attempted_adds() {
            H h = new H().done(0, "add", 2);
            Op a = h.invoke(1, "add", 3);
            h.done(2, "read", null, 2).done(2, "read", null, 5); // the open add may or may not be in
            h.info(a);
            h.done(2, "read", null, 5);
            assertThat(check(h).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void a_read_below_what_was_acknowledged() {
            H h = new H().done(0, "add", 2).done(0, "add", 3).done(1, "read", null, 2);
            Verdict v = check(h);
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation()).contains("the first read 2 where only 5 to 5 is possible");
        }

        @Test
        void a_read_above_anything_attempted_and_failed_adds_do_not_count() {
            H h = new H().done(0, "add", 2);
            h.fail(h.invoke(0, "add", 3));
            h.done(1, "read", null, 5);
            assertThat(check(h).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void decrements() {
            H h = new H().done(0, "add", 5).done(0, "add", -2).done(1, "read", null, 3);
            assertThat(check(h).validity()).isEqualTo(Validity.VALID);
            H bad = new H().done(0, "add", 5).done(0, "add", -2).done(1, "read", null, 5);
            assertThat(check(bad).validity()).isEqualTo(Validity.INVALID);
        }
    }

    @Nested
    class UniqueIds {
        @Test
        void distinct_ids_pass_and_a_duplicate_fails() {
            H h = new H().done(0, "generate", null, 1).done(1, "generate", null, 2);
            assertThat(new UniqueIdsChecker()
                            .check(h.build(), FaultWindows.none())
                            .validity())
                    .isEqualTo(Validity.VALID);
            h.done(2, "generate", null, 1);
            Verdict v = new UniqueIdsChecker().check(h.build(), FaultWindows.none());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation()).startsWith("1 of 3 acknowledged ids handed out more than once: 1");
        }

        @Test
        void nothing_generated_is_unknown() {
            H h = new H();
            h.info(h.invoke(0, "generate", null));
            assertThat(new UniqueIdsChecker()
                            .check(h.build(), FaultWindows.none())
                            .validity())
                    .isEqualTo(Validity.UNKNOWN);
        }
    }

    @Nested
    class Queue {
        private Verdict check(H h, boolean atLeastOnce) {
            return new QueueChecker(atLeastOnce).check(h.build(), FaultWindows.none());
        }

        @Test
        void everything_dequeued_and_the_queue_found_empty() {
            H h = new H().done(0, "enqueue", 1).done(0, "enqueue", 2);
            h.done(1, "dequeue", null, 2).done(1, "dequeue", null, 1).done(1, "dequeue", null, null);
            assertThat(check(h, false).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void an_acknowledged_enqueue_lost() {
            H h = new H().done(0, "enqueue", 1).done(0, "enqueue", 2);
            h.done(1, "dequeue", null, 1).done(1, "dequeue", null, null);
            Verdict v = check(h, false);
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation()).startsWith("1 of 2 acknowledged enqueues lost: 2");
        }

        @Test
        void not_drained_is_unknown_not_lost() {
            H h = new H().done(0, "enqueue", 1).done(0, "enqueue", 2).done(1, "dequeue", null, 1);
            assertThat(check(h, false).validity()).isEqualTo(Validity.UNKNOWN);
        }

        @Test
        void dequeued_twice_fails_unless_at_least_once_is_allowed() {
            H h = new H().done(0, "enqueue", 1);
            h.done(1, "dequeue", null, 1).done(2, "dequeue", null, 1).done(1, "drain", null, List.of());
            assertThat(check(h, false).validity()).isEqualTo(Validity.INVALID);
            Verdict lenient = check(h, true);
            assertThat(lenient.validity()).isEqualTo(Validity.VALID);
            assertThat(lenient.explanation()).contains("1 delivered more than once (allowed: at-least-once)");
        }

        @Test
        void a_dequeue_of_something_never_enqueued() {
            H h = new H().done(0, "enqueue", 1).done(1, "drain", null, List.of(1, 7));
            assertThat(check(h, false).validity()).isEqualTo(Validity.INVALID);
        }
    }

    @Nested
    class Stats {
        @Test
        void counts_latencies_and_periods() {
            H h = new H();
            for (int i = 0; i < 10; i++) {
                h.at(i).done(0, "write", i);
                if (i == 5) {
                    h.info(h.invoke(1, "read", null));
                }
            }
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "crash", "node1", 4.5, 6.5)));
            Verdict v = new StatsChecker().check(h.build(), f);
            assertThat(v.validity()).as(v.explanation()).isEqualTo(Validity.UNKNOWN); // no read ever succeeded
            @SuppressWarnings("unchecked")
            Map<String, Object> all = (Map<String, Object>) v.details().get("all");
            assertThat(all).containsEntry("count", 11).containsEntry("ok", 10).containsEntry("info", 1);
            assertThat(all.get("p50-ms")).isEqualTo(1.0);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> periods =
                    (Map<String, Map<String, Object>>) v.details().get("by-period");
            assertThat(periods.get("f1")).containsEntry("count", 3).containsEntry("info", 1);
            assertThat(periods.get("no-fault")).containsEntry("count", 8);
            assertThat(v.explanation()).contains("no read ever succeeded");
        }

        @Test
        void quantiles_are_nearest_rank() {
            long[] l = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            assertThat(StatsChecker.quantile(l, 0.5)).isEqualTo(5);
            assertThat(StatsChecker.quantile(l, 0.99)).isEqualTo(10);
            assertThat(StatsChecker.quantile(new long[0], 0.5)).isEqualTo(-1);
        }
    }

    @Nested
    class Leaders {
        @Test
        void one_leader_per_term() {
            H h = new H()
                    .leader("node1", 1, "node1")
                    .leader("node2", 1, "node1")
                    .leader("node2", 2, "node2");
            assertThat(new SingleLeaderPerTermChecker()
                            .check(h.build(), FaultWindows.none())
                            .validity())
                    .isEqualTo(Validity.VALID);
        }

        @Test
        void two_leaders_in_one_term() {
            H h = new H().leader("node1", 3, "node1").at(4).leader("node3", 3, "node3");
            Verdict v = new SingleLeaderPerTermChecker().check(h.build(), FaultWindows.none());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation())
                    .startsWith("term 3 had 2 leaders: \"node1\" (said by node1 at 0.0 s)")
                    .contains("\"node3\" (said by node3 at 4.0 s)");
        }

        @Test
        void a_sample_that_only_says_is_leader_names_its_own_node() {
            H h = new H()
                    .status("node1", "term", 2, "isLeader", true)
                    .status("node2", "term", 2, "isLeader", false)
                    .at(3)
                    .status("node2", "term", 2, "isLeader", true);
            Verdict v = new SingleLeaderPerTermChecker().check(h.build(), FaultWindows.none());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation())
                    .isEqualTo("term 2 had 2 leaders: \"node1\" (said by node1 at 0.0 s), \"node2\" (said by node2 at"
                            + " 3.0 s)");
            H one = new H()
                    .status("node1", "term", 2, "isLeader", true)
                    .status("node2", "term", 2, "isLeader", false)
                    .status("node3", "term", 2, "leader", "node1");
            Verdict ok = new SingleLeaderPerTermChecker().check(one.build(), FaultWindows.none());
            assertThat(ok.validity()).isEqualTo(Validity.VALID);
            assertThat(ok.explanation()).isEqualTo("one leader in each of 1 term (3 samples)");
        }

        @Test
        void time_to_leader_from_samples_that_only_say_is_leader() {
            H h = new H();
            for (String n : List.of("node1", "node2", "node3")) {
                h.at(9)
                        .status(
                                n,
                                "term",
                                2,
                                "isLeader",
                                n.equals("node1"),
                                "leader",
                                n.equals("node1") ? null : "node1");
            }
            h.at(11)
                    .silent("node1")
                    .status("node2", "term", 3, "isLeader", true)
                    .status("node3", "term", 3, "leader", "node2");
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "pause", "node1", 10, 20)));
            Verdict v = new TimeToLeaderChecker(null, Set.of()).check(h.build(), f);
            assertThat(v.validity()).isEqualTo(Validity.VALID);
            assertThat(v.explanation()).startsWith("time to a leader after each fault: pause node1 at 10.0 s: 1.0 s");
        }

        @Test
        void no_samples_is_unknown() {
            H h = new H().silent("node1");
            assertThat(new SingleLeaderPerTermChecker()
                            .check(h.build(), FaultWindows.none())
                            .validity())
                    .isEqualTo(Validity.UNKNOWN);
        }

        private H crashOfTheLeaderAt10() {
            H h = new H();
            for (String n : List.of("node1", "node2", "node3")) {
                h.at(9).leader(n, 2, "node1");
            }
            h.at(10.5)
                    .silent("node1")
                    .leader("node2", 2, "node1")
                    .leader("node3", 2, "node1"); // followers not timed out
            h.at(12).silent("node1").leader("node2", 3, "node2").leader("node3", 2, "node1");
            h.at(13.2).silent("node1").leader("node2", 3, "node2").leader("node3", 3, "node2");
            return h;
        }

        @Test
        void time_to_leader_after_a_crash_of_the_leader() {
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "crash", "node1", 10, 20)));
            Verdict v = new TimeToLeaderChecker(null, Set.of())
                    .check(crashOfTheLeaderAt10().build(), f);
            assertThat(v.validity()).isEqualTo(Validity.VALID);
            assertThat(v.explanation())
                    .isEqualTo("time to a leader after each fault: crash node1 at 10.0 s: 3.2 s (\"node2\", term 3)");
        }

        @Test
        void time_to_leader_over_its_slo_fails() {
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "crash", "node1", 10, 20)));
            Verdict v = new TimeToLeaderChecker(Duration.ofSeconds(2), Set.of())
                    .check(crashOfTheLeaderAt10().build(), f);
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation()).startsWith("1 of 1 faults took longer than the SLO of 2.0 s to a leader");
            assertThat(new TimeToLeaderChecker(Duration.ofSeconds(5), Set.of())
                            .check(crashOfTheLeaderAt10().build(), f)
                            .validity())
                    .isEqualTo(Validity.VALID);
        }

        @Test
        void no_leader_again_before_the_end_is_unknown_without_an_slo() {
            H h = new H();
            for (String n : List.of("node1", "node2", "node3")) {
                h.at(9).leader(n, 2, "node1");
            }
            h.at(11).silent("node1").silent("node2").leader("node3", 2, "node1");
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "pause", "node1", 10, 20)));
            Verdict v = new TimeToLeaderChecker(null, Set.of()).check(h.build(), f);
            assertThat(v.validity()).isEqualTo(Validity.UNKNOWN);
            assertThat(v.explanation()).contains("no leader known again by the end of the history");
        }

        @Test
        void kinds_select_the_faults_measured() {
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "crash", "node1", 10, 20)));
            Verdict v = new TimeToLeaderChecker(null, Set.of("partition"))
                    .check(crashOfTheLeaderAt10().build(), f);
            assertThat(v.validity()).isEqualTo(Validity.UNKNOWN);
            assertThat(v.explanation()).startsWith("nothing to measure");
        }
    }
}
