package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckersTest {
    @TempDir
    Path dir;

    @Test
    void builds_checkers_from_specs() {
        assertThat(Checkers.parse("set").name()).isEqualTo("set");
        assertThat(Checkers.parse("set:linearizable=true")).isInstanceOf(SetChecker.class);
        assertThat(Checkers.parse("time-to-leader:slo=10s,kinds=crash/pause").name())
                .isEqualTo("time-to-leader");
        assertThat(Checkers.parse("linearizable:max-configs=1000,time-limit=5s,initial=0")
                        .name())
                .isEqualTo("linearizable");
        assertThat(Checkers.names())
                .contains(
                        "set",
                        "linearizable",
                        "counter",
                        "unique-ids",
                        "queue",
                        "stats",
                        "single-leader-per-term",
                        "time-to-leader");
    }

    @Test
    void says_what_is_wrong_with_a_spec() {
        assertThatThrownBy(() -> Checkers.parse("linearisable"))
                .hasMessageStartingWith(
                        "unknown checker 'linearisable'; did you mean 'linearizable'?; the checkers are");
        assertThatThrownBy(() -> Checkers.parse("set:linearisable=true"))
                .hasMessage("checker set has no option 'linearisable'; did you mean 'linearizable'?; its options are"
                        + " linearizable");
        assertThatThrownBy(() -> Checkers.parse("stats:x=1")).hasMessageContaining("it takes no options");
        assertThatThrownBy(() -> Checkers.parse("time-to-leader:slo=soon"))
                .hasMessage("checker time-to-leader: option slo is 'soon'; expected a duration like 500ms, 10s or 2m");
        assertThatThrownBy(() -> Checkers.parse("set:linearizable")).hasMessageContaining("OPTION=VALUE");
    }

    @Test
    void results_merge_and_are_written_as_json() throws Exception {
        H h = new H().done(0, "add", 1).done(0, "read", null, List.of());
        CheckResults r = CheckResults.run(
                "history.jsonl",
                h.build(),
                FaultWindows.of(List.of(H.fault("f1", "crash", "node1", 0, 1))),
                Checkers.parseAll(List.of("set", "stats")));
        assertThat(r.validity()).isEqualTo(Validity.INVALID);
        Path file = dir.resolve("checks.json");
        r.write(file);
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertThat(json.get("valid").asText()).isEqualTo("invalid");
        assertThat(json.get("checkers").get(0).get("checker").asText()).isEqualTo("set");
        assertThat(json.get("checkers").get(0).get("ops").get(0).get("f").asText())
                .isEqualTo("add");
        assertThat(json.get("checkers").get(1).get("valid").asText()).isEqualTo("valid");
        assertThat(json.get("faults").get(0).get("description").asText()).isEqualTo("crash node1");
    }

    @Test
    void a_checker_that_throws_is_unknown_not_a_crash() {
        Checker broken = new Checker() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Verdict check(io.vmcluster.history.History history, FaultWindows faults) {
                throw new IllegalStateException("bug");
            }
        };
        CheckResults r = CheckResults.run("h", new H().build(), FaultWindows.none(), List.of(broken));
        assertThat(r.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(r.verdicts().get(0).explanation()).isEqualTo("the checker failed: bug");
    }
}
