package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetCheckerTest {
    private static final FaultWindows PARTITION =
            FaultWindows.of(List.of(H.fault("f1", "partition", "[node1] | [node2, node3]", 10, 20)));

    private static Verdict check(H h, boolean linearizable) {
        return new SetChecker(linearizable).check(h.build(), PARTITION);
    }

    @Test
    void every_acknowledged_add_in_the_final_read_is_valid() {
        H h = new H().done(0, "add", 1).done(1, "add", 2).done(0, "read", null, List.of(1, 2));
        Verdict v = check(h, false);
        assertThat(v.validity()).isEqualTo(Validity.VALID);
        assertThat(v.details()).containsEntry("stable-count", 2).containsEntry("lost-count", 0);
    }

    @Test
    void a_lost_write_names_the_values_when_it_was_acknowledged_and_the_fault() {
        H h = new H();
        for (int i = 1; i <= 20; i++) {
            if (i != 17 && i != 18) {
                h.done(i % 3, "add", i);
            }
        }
        h.at(12.4);
        h.done(0, "add", 17);
        h.done(1, "add", 18);
        h.at(30);
        h.ok(
                h.invokeOn("node2", 2, "read", null),
                List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20));
        Verdict v = check(h, false);
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation())
                .startsWith("2 of 20 acknowledged adds lost: 17, 18; first lost add acknowledged at 12.4 s, during"
                        + " partition [node1] | [node2, node3], missing from the read invoked at 30.0 s on node2");
        assertThat(v.ops()).extracting(Op::f).extracting(Object::toString).contains("add", "read");
    }

    @Test
    void a_stale_read_after_a_partition_is_reported_and_fails_only_when_asked() {
        H h = new H().done(0, "add", 1).done(0, "add", 2);
        h.at(11).ok(h.invokeOn("node1", 1, "read", null), List.of(1)); // node1, cut off, has not seen 2
        h.at(25).ok(h.invokeOn("node1", 1, "read", null), List.of(1, 2)); // caught up after heal
        Verdict lenient = check(h, false);
        assertThat(lenient.validity()).isEqualTo(Validity.VALID);
        assertThat(lenient.explanation())
                .contains("1 stale (missed by a read that began after they were known, seen later): 2")
                .contains("during partition");
        Verdict strict = check(h, true);
        assertThat(strict.validity()).isEqualTo(Validity.INVALID);
        assertThat(strict.details()).containsEntry("stale-count", 1);
    }

    @Test
    void an_element_seen_then_missing_from_every_later_read_is_lost() {
        H h = new H();
        h.info(h.invoke(0, "add", 5)); // unknown outcome
        h.done(1, "read", null, List.of(5)); // but a read saw it
        h.done(1, "read", null, List.of());
        assertThat(check(h, false).validity()).isEqualTo(Validity.INVALID);
    }

    @Test
    void an_info_add_that_appears_is_recovered_and_one_that_does_not_is_fine() {
        H h = new H();
        h.info(h.invoke(0, "add", 5));
        h.info(h.invoke(1, "add", 6));
        h.done(2, "add", 7).done(2, "read", null, List.of(5, 7));
        Verdict v = check(h, false);
        assertThat(v.validity()).isEqualTo(Validity.VALID);
        assertThat(v.details()).containsEntry("recovered-count", 1).containsEntry("never-read-count", 1);
    }

    @Test
    void an_element_nobody_added_is_unexpected() {
        H h = new H().done(0, "add", 1).done(0, "read", null, List.of(1, 99));
        Verdict v = check(h, false);
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation()).contains("1 unexpected elements (never added) read: 99");
    }

    @Test
    void an_element_twice_in_one_read_is_duplicated() {
        H h = new H().done(0, "add", 1).done(0, "read", null, List.of(1, 1));
        assertThat(check(h, false).validity()).isEqualTo(Validity.INVALID);
    }

    @Test
    void a_read_concurrent_with_the_add_may_miss_it() {
        H h = new H();
        Op add = h.invoke(0, "add", 1);
        Op read = h.invoke(1, "read", null);
        h.ok(read, List.of());
        h.ok(add);
        h.done(1, "read", null, List.of(1));
        assertThat(check(h, true).validity()).isEqualTo(Validity.VALID);
    }

    @Test
    void no_successful_read_is_unknown() {
        H h = new H().done(0, "add", 1);
        h.fail(h.invoke(1, "read", null));
        assertThat(check(h, false).validity()).isEqualTo(Validity.UNKNOWN);
    }

    @Test
    void keys_are_separate_sets() {
        H h = new H().key("a").done(0, "add", 1).key("b").done(1, "add", 1).done(1, "read", null, List.of(1));
        h.key("a").done(0, "read", null, List.of());
        Verdict v = check(h, false);
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation()).startsWith("1 of 2 keys invalid: key \"a\": 1 of 1 acknowledged adds lost: 1");
    }
}
