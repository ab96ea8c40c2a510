package io.vmcluster.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HistoryReaderTest {
    static final String SAMPLE = String.join(
            "\n",
            "{\"index\":0,\"time\":100,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k1\",\"value\":3,\"node\":\"node1\"}",
            "{\"index\":1,\"time\":150,\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k1\",\"value\":null}",
            "{\"type\":\"probe\",\"time\":160,\"node\":\"node2\",\"f\":\"leader-status\",\"value\":{\"term\":2,\"leader\":\"node1\"}}",
            "{\"index\":2,\"time\":200,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\",\"value\":3,\"node\":\"node1\"}",
            "{\"index\":3,\"time\":250,\"process\":1,\"type\":\"info\",\"f\":\"read\",\"key\":\"k1\",\"value\":null,\"error\":\"timeout after 5 s: ünïcode\"}",
            "");

    private static History feedSplit(byte[] bytes, int... cuts) {
        HistoryReader r = new HistoryReader("h.jsonl");
        int from = 0;
        for (int cut : cuts) {
            r.feed(bytes, from, cut - from);
            from = cut;
        }
        r.feed(bytes, from, bytes.length - from);
        return r.finish();
    }

    @Test
    void reads_operations_probes_and_their_pairs() {
        History h = feedSplit(SAMPLE.getBytes(StandardCharsets.UTF_8));
        assertThat(h.ops()).hasSize(4);
        assertThat(h.probes()).singleElement().satisfies(p -> {
            assertThat(p.term()).contains(2L);
            assertThat(p.claimsLeadership()).isFalse();
        });
        assertThat(h.operations()).hasSize(2);
        assertThat(h.operations().get(0).isOk()).isTrue();
        assertThat(h.operations().get(0).key()).isEqualTo(Values.of("k1"));
        assertThat(h.operations().get(1).isIndeterminate()).isTrue();
        assertThat(h.operations().get(1).completion().error()).isEqualTo("timeout after 5 s: ünïcode");
        assertThat(h.warnings()).isEmpty();
    }

    @Test
    void gives_the_same_history_for_input_split_at_every_byte_boundary() {
        byte[] bytes = SAMPLE.getBytes(StandardCharsets.UTF_8);
        List<HistoryEntry> whole = feedSplit(bytes).entries();
        for (int i = 0; i <= bytes.length; i++) {
            assertThat(feedSplit(bytes, i).entries()).as("split at %d", i).isEqualTo(whole);
            for (int j = i; j <= Math.min(bytes.length, i + 7); j++) {
                assertThat(feedSplit(bytes, i, j).entries())
                        .as("split at %d and %d", i, j)
                        .isEqualTo(whole);
            }
        }
        HistoryReader oneByOne = new HistoryReader("h");
        for (byte b : bytes) {
            oneByOne.feed(new byte[] {b}, 0, 1);
        }
        assertThat(oneByOne.finish().entries()).isEqualTo(whole);
    }

    @Test
    void names_the_same_bad_line_wherever_the_input_is_split() {
        String bad = SAMPLE.replace("\"type\":\"ok\"", "\"type\":\"okay\"");
        byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= bytes.length; i++) {
            int cut = i;
            assertThatThrownBy(() -> feedSplit(bytes, cut))
                    .as("split at %d", i)
                    .isInstanceOf(HistoryFormatException.class)
                    .hasMessage("h.jsonl:4: field 'type' is 'okay'; expected invoke, ok, fail, info or probe");
        }
    }

    @Nested
    class BadLines {
        private String problem(String text) {
            try {
                feedSplit(text.getBytes(StandardCharsets.UTF_8));
            } catch (HistoryFormatException e) {
                return e.getMessage();
            }
            throw new AssertionError("no error for " + text);
        }

        @Test
        void not_json() {
            assertThat(problem("{\"index\":0,\n")).startsWith("h.jsonl:1: not JSON");
        }

        @Test
        void a_missing_field() {
            assertThat(problem("{\"index\":0,\"time\":1,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"))
                    .isEqualTo("h.jsonl:1: field 'process' is missing");
        }

        @Test
        void an_unknown_field() {
            assertThat(problem(
                            "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"vale\":1}\n"))
                    .startsWith("h.jsonl:1: unknown field 'vale'; the fields are error, f, index");
        }

        @Test
        void a_completion_without_invocation() {
            assertThat(problem(
                            "\n{\"index\":0,\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n"))
                    .isEqualTo("h.jsonl:2: process 0 completes write (ok) but has no open invocation");
        }

        @Test
        void a_process_reused_after_info() {
            String text = "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
                    + "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"info\",\"f\":\"write\",\"value\":1}\n"
                    + "{\"index\":2,\"time\":3,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":2}\n";
            assertThat(problem(text)).startsWith("h.jsonl:3: process 0 invokes write after its write ended in info");
        }

        @Test
        void two_open_operations_on_one_process() {
            String text = "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
                    + "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n";
            assertThat(problem(text)).startsWith("h.jsonl:2: process 0 invokes read while its write (index 0)");
        }

        @Test
        void indexes_out_of_order_and_time_going_back() {
            assertThat(problem(
                            "{\"index\":1,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"))
                    .startsWith("h.jsonl:1: index 1 where 0 was expected");
            assertThat(
                            problem(
                                    "{\"index\":0,\"time\":5,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
                                            + "{\"index\":1,\"time\":4,\"process\":1,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"))
                    .startsWith("h.jsonl:2: time 4 ns is before the previous line's 5 ns");
        }
    }

    @Test
    void drops_an_incomplete_last_line_with_a_warning() {
        String cut = SAMPLE.substring(0, SAMPLE.length() - 30);
        History h = feedSplit(cut.getBytes(StandardCharsets.UTF_8));
        assertThat(h.ops()).hasSize(3);
        assertThat(h.warnings()).singleElement().asString().contains("h.jsonl:5: the last line is incomplete");
        assertThat(h.operations().get(1).completion())
                .as("the read never completed")
                .isNull();
    }

    @Test
    void an_unparsable_line_in_the_middle_is_an_error_even_without_a_later_newline() {
        String text = SAMPLE.replace("\"f\":\"read\"", "\"f\":\"Read\"");
        assertThatThrownBy(() -> feedSplit(text.getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("h.jsonl:2: field 'f': 'Read' is not an operation function");
    }
}
