package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.history.History;
import io.vmcluster.history.Op;
import io.vmcluster.history.Values;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LinearizableCheckerTest {
    private static Verdict check(History h) {
        return LinearizableChecker.register().check(h, FaultWindows.none());
    }

    private static Verdict check(History h, FaultWindows f) {
        return LinearizableChecker.register().check(h, f);
    }

    @Nested
    class Valid {
        @Test
        void sequential_writes_and_reads() {
            H h = new H()
                    .done(0, "write", 1)
                    .done(1, "read", null, 1)
                    .done(0, "write", 2)
                    .done(1, "read", null, 2);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void a_read_of_the_initial_null_before_any_write() {
            H h = new H().done(0, "read", null, null).done(0, "write", 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void a_read_concurrent_with_a_write_may_see_either_value() {
            H h = new H().done(0, "write", 1);
            Op w = h.invoke(0, "write", 2);
            Op r1 = h.invoke(1, "read", null);
            Op r2 = h.invoke(2, "read", null);
            h.ok(r1, 2);
            h.ok(r2, 1); // r2 linearized before the write, r1 after: fine, they overlap
            h.ok(w);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void a_stale_looking_read_is_fine_when_the_write_overlaps_it() {
            H h = new H().done(0, "write", 1);
            Op w = h.invoke(0, "write", 2);
            Op r = h.invoke(1, "read", null);
            h.ok(r, 1);
            h.ok(w);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void an_info_write_may_have_happened() {
            H h = new H().done(0, "write", 1);
            h.info(h.invoke(0, "write", 5));
            h.done(1, "read", null, 5).done(1, "read", null, 5);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void an_info_write_may_never_have_happened() {
            H h = new H().done(0, "write", 1);
            h.info(h.invoke(0, "write", 5));
            h.done(1, "read", null, 1).done(1, "read", null, 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void an_info_write_takes_effect_late_but_after_its_invocation() {
            H h = new H().done(0, "write", 1);
            h.info(h.invoke(0, "write", 5));
            h.done(1, "read", null, 1).done(1, "read", null, 5).done(1, "read", null, 5);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void a_failed_cas_has_no_effect() {
            H h = new H().done(0, "write", 1);
            h.fail(h.invoke(0, "cas", List.of(1, 2)));
            h.done(1, "read", null, 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void concurrent_cas_where_one_wins() {
            H h = new H().done(0, "write", 0);
            Op a = h.invoke(1, "cas", List.of(0, 1));
            Op b = h.invoke(2, "cas", List.of(0, 2));
            h.ok(a);
            h.fail(b);
            h.done(3, "read", null, 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }

        @Test
        void an_operation_never_completed_counts_as_info() {
            H h = new H().done(0, "write", 1);
            h.invoke(0, "write", 7); // the run was killed here
            h.done(1, "read", null, 7);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.VALID);
        }
    }

    @Nested
    class Invalid {
        @Test
        void a_stale_read_after_the_write_completed() {
            H h = new H()
                    .done(0, "write", 1)
                    .at(10)
                    .done(0, "write", 2)
                    .at(12.4)
                    .done(1, "read", null, 1);
            Verdict v = check(h.build());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation())
                    .as("the window: the write that overwrote 1 and the read")
                    .contains("p0 write 2 ok", "*p1 read 1 ok")
                    .contains("register starting at any of")
                    .doesNotContain("p0 write 1 ok");
            assertThat(v.ops()).extracting(Op::index).containsExactly(2L, 3L, 4L, 5L);
        }

        @Test
        void a_read_that_is_linearizable_only_if_the_write_is_moved() {
            // the write of 2 completed before the read began; only moving it after the read explains 1
            H h = new H().done(0, "write", 1);
            Op w = h.invoke(0, "write", 2);
            h.ok(w);
            h.done(1, "read", null, 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void a_read_of_a_value_nobody_wrote() {
            H h = new H().done(0, "write", 1).done(1, "read", null, 9);
            Verdict v = check(h.build());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation()).contains("p1 read 9 ok");
        }

        @Test
        void concurrent_cas_that_both_succeed() {
            H h = new H().done(0, "write", 0);
            Op a = h.invoke(1, "cas", List.of(0, 1));
            Op b = h.invoke(2, "cas", List.of(0, 2));
            h.ok(a);
            h.ok(b);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void a_failed_cas_that_a_read_says_happened() {
            H h = new H().done(0, "write", 1);
            h.fail(h.invoke(0, "cas", List.of(1, 2)));
            h.done(1, "read", null, 2);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void an_info_write_seen_and_then_unseen() {
            // the info write of 5 took effect (a read saw it) and then vanished without another write
            H h = new H().done(0, "write", 1);
            h.info(h.invoke(0, "write", 5));
            h.done(1, "read", null, 5).done(1, "read", null, 1);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void reads_going_back_in_time() {
            H h = new H().done(0, "write", 1);
            Op w = h.invoke(0, "write", 2);
            h.done(1, "read", null, 2);
            h.done(2, "read", null, 1); // after a read saw 2, with the write of 2 still open
            h.ok(w);
            assertThat(check(h.build()).validity()).isEqualTo(Validity.INVALID);
        }

        @Test
        void one_bad_key_among_good_ones_and_the_fault_it_happened_in() {
            H h = new H().key("a").done(0, "write", 1).done(1, "read", null, 1);
            h.key("b").done(2, "write", 1).done(2, "write", 2).at(5).done(3, "read", null, 1);
            FaultWindows f = FaultWindows.of(List.of(H.fault("f1", "partition", "[node1] | [node2, node3]", 4, 6)));
            Verdict v = check(h.build(), f);
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.explanation())
                    .startsWith("1 of 2 keys invalid: key \"b\": not linearizable")
                    .contains("during partition [node1] | [node2, node3]");
        }

        @Test
        void the_window_of_a_long_history_is_short() {
            H h = new H();
            for (int i = 0; i < 200; i++) {
                h.done(i % 3, "write", i).done(3, "read", null, i);
            }
            h.done(0, "write", 1000).done(4, "read", null, 199);
            Verdict v = check(h.build());
            assertThat(v.validity()).isEqualTo(Validity.INVALID);
            assertThat(v.ops()).as("the write of 1000 and the stale read").hasSize(4);
            assertThat(v.explanation()).contains("p0 write 1000 ok", "*p4 read 199 ok");
        }
    }

    @Nested
    class Bounded {
        @Test
        void a_search_that_runs_out_says_unknown_never_valid() {
            // twelve concurrent writes and reads that pin a late order: many configurations
            H h = new H();
            Op[] w = new Op[12];
            for (int i = 0; i < w.length; i++) {
                w[i] = h.invoke(i, "write", i);
            }
            for (Op op : w) {
                h.ok(op);
            }
            h.done(20, "read", null, 11);
            LinearizableChecker tiny =
                    new LinearizableChecker(new RegisterModel(Values.NULL), 5, Duration.ofMinutes(1));
            Verdict v = tiny.check(h.build(), FaultWindows.none());
            assertThat(v.validity()).isEqualTo(Validity.UNKNOWN);
            assertThat(v.explanation()).contains("remembered 5 configurations (max-configs)");
            assertThat(LinearizableChecker.register()
                            .check(h.build(), FaultWindows.none())
                            .validity())
                    .as("with room to search it is decided")
                    .isEqualTo(Validity.VALID);
        }

        @Test
        void a_time_limit_that_runs_out_says_unknown() {
            H h = new H();
            Op[] w = new Op[16];
            for (int i = 0; i < w.length; i++) {
                w[i] = h.invoke(i, "write", i % 2);
            }
            for (Op op : w) {
                h.info(op);
            }
            for (int i = 0; i < 16; i++) {
                h.done(100, "read", null, i % 2 == 0 ? 1 : 0);
            }
            h.done(100, "read", null, 7); // never written: the search must try everything to see it
            LinearizableChecker quick =
                    new LinearizableChecker(new RegisterModel(Values.NULL), Long.MAX_VALUE, Duration.ZERO);
            Verdict v = quick.check(h.build(), FaultWindows.none());
            assertThat(v.validity()).isIn(Validity.UNKNOWN, Validity.INVALID);
            assertThat(v.validity()).isNotEqualTo(Validity.VALID);
        }
    }

    @Test
    void no_register_operations_is_unknown() {
        assertThat(check(new H().done(0, "add", 1).build()).validity()).isEqualTo(Validity.UNKNOWN);
    }

    @Test
    void a_malformed_cas_is_named() {
        Verdict v = check(new H().done(0, "cas", 3).build());
        assertThat(v.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(v.explanation()).contains("a cas's value must be [old, new], not 3");
    }
}
