package io.vmcluster.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.history.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench checker: figures per f and node, and a baseline that must pass and must fail. */
class BenchCheckerTest {
    @TempDir
    Path dir;

    /** 10 adds of {@code ms} each on node1 and node2 alternately, one after another, over 1 s each. */
    static H adds(long ms) {
        H h = new H();
        for (int i = 0; i < 10; i++) {
            h.at(i);
            Op inv = h.invokeOn(i % 2 == 0 ? "node1" : "node2", 0, "add", i);
            h.at(i + ms / 1000.0);
            h.ok(inv);
        }
        return h;
    }

    Verdict check(String spec, H h) {
        return Checkers.parse(spec).check(h.build(), FaultWindows.none());
    }

    Path baseline(String json) throws IOException {
        return Files.writeString(dir.resolve("baseline.json"), json);
    }

    @Test
    void withoutABaselineItReportsTheFiguresPerFunctionAndNode() {
        Verdict v = check("bench", adds(100));
        assertThat(v.validity()).isEqualTo(Validity.VALID);
        assertThat(v.explanation()).contains("add").contains("p50 100.0").contains("ok/s");
        @SuppressWarnings("unchecked")
        Map<String, Object> byNode = (Map<String, Object>) v.details().get("by-node");
        assertThat(byNode).containsOnlyKeys("node1", "node2");
        @SuppressWarnings("unchecked")
        Map<String, Object> add =
                (Map<String, Object>) ((Map<String, Object>) v.details().get("figures")).get("add");
        assertThat(add).containsEntry("count", 10).containsEntry("p99-ms", 100.0);
    }

    @Test
    void withinTheToleranceOfTheBaselineIsValid() throws IOException {
        Path b = baseline("{\"add\": {\"p50-ms\": 90, \"p99-ms\": 95, \"ok-per-second\": 1.1}}");
        Verdict v = check("bench:baseline=" + b + ",tolerance=20%", adds(100));
        assertThat(v.validity()).as(v.explanation()).isEqualTo(Validity.VALID);
        assertThat(v.explanation()).startsWith("within 20.0% of the baseline");
    }

    @Test
    void aSlowerRunFailsNamingTheFigureAndHowMuchWorse() throws IOException {
        Path b = baseline("{\"add\": {\"p50-ms\": 20, \"p99-ms\": 25}}");
        Verdict v = check("bench:baseline=" + b + ",tolerance=50%", adds(100));
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation())
                .contains("2 figure(s) worse than the baseline by more than 50.0%")
                .contains("add p50-ms 100.0 against 20.0 (+400%)");
    }

    @Test
    void lessThroughputThanTheBaselineFails() throws IOException {
        Path b = baseline("{\"add\": {\"ok-per-second\": 5}}");
        Verdict v = check("bench:baseline=" + b, adds(100));
        assertThat(v.validity()).isEqualTo(Validity.INVALID);
        assertThat(v.explanation()).contains("add ok-per-second");
    }

    @Test
    void aFunctionTheBaselineHasAndThisRunLacksFails() throws IOException {
        Path b = baseline("{\"read\": {\"p50-ms\": 5}}");
        assertThat(check("bench:baseline=" + b, adds(10)).explanation()).contains("read p50-ms not measured");
    }

    @Test
    void anEarlierRunsChecksJsonIsABaseline() throws IOException {
        Verdict first = check("bench", adds(100));
        String checks = "{\"checkers\": [" + first.toJson() + "]}";
        Path b = baseline(checks);
        assertThat(check("bench:baseline=" + b, adds(110)).validity()).isEqualTo(Validity.VALID);
        assertThat(check("bench:baseline=" + b + ",tolerance=5%", adds(200)).validity())
                .isEqualTo(Validity.INVALID);
    }

    @Test
    void badOptionsAreBadInputNotVerdicts() throws IOException {
        assertThatThrownBy(() -> Checkers.parse("bench:baseline=" + dir.resolve("nope.json")))
                .hasMessageContaining("cannot read the baseline")
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> Checkers.parse("bench:tolerance=lots"))
                .hasMessageContaining("expected a percentage like 25%");
        Path b = baseline("{\"checkers\": []}");
        assertThatThrownBy(() -> Checkers.parse("bench:baseline=" + b)).hasMessageContaining("without a bench verdict");
    }

    @Test
    void aRelativeBaselineIsResolvedAgainstTheScenarioDirectory() {
        assertThat(Checkers.resolvePaths("bench:baseline=base/b.json,tolerance=10%", Path.of("/s")))
                .isEqualTo("bench:baseline=/s/base/b.json,tolerance=10%");
        assertThat(Checkers.resolvePaths("bench:tolerance=10%,baseline=/abs.json", Path.of("/s")))
                .isEqualTo("bench:tolerance=10%,baseline=/abs.json");
        assertThat(Checkers.resolvePaths("set", Path.of("/s"))).isEqualTo("set");
    }
}
