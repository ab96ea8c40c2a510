package io.vmcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.yaml.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 22, item 3: an image's own params count as declared; a near miss of one is an error. */
class ImageParamsTest {
    static final Path FILE = Path.of("s.yaml");
    static final ImageParams ETCD_TEST = image -> image.equals("etcd-test")
            ? Optional.of(Map.of("jobq.mode", "replicated", "etcd.heartbeat_ms", "300", "etcd.election_ms", "3000"))
            : Optional.empty();

    static String scenario(String params) {
        return """
                name: t
                cluster:
                  defaults: {image: etcd-test}
                  nodes: 2
                %s
                tests:
                  - name: one
                    steps:
                      - log: "${writes}"
                """.formatted(params);
    }

    static List<Problem> problems(String text, Map<String, String> overrides) {
        try {
            ScenarioParser.parse(text, FILE, overrides, ETCD_TEST);
        } catch (ScenarioException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems for:\n" + text);
    }

    @Test
    void anImageParamIsAcceptedByParamWithoutBeingDeclaredAndReachesEveryNode() {
        Scenario s = ScenarioParser.parse(
                scenario("params: {writes: \"3\"}"), FILE, Map.of("etcd.heartbeat_ms", "100"), ETCD_TEST);
        assertThat(s.params()).containsEntry("etcd.heartbeat_ms", "100").containsEntry("writes", "3");
        s.cluster().spec().nodes().forEach(n -> assertThat(n.params()).containsEntry("etcd.heartbeat_ms", "100"));
    }

    @Test
    void withoutKnowingTheImageAnUndeclaredParamIsStillAnError() {
        assertThatThrownBy(() -> ScenarioParser.parse(
                        scenario("params: {writes: \"3\"}"), FILE, Map.of("etcd.heartbeat_ms", "100")))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("has no param 'etcd.heartbeat_ms'");
    }

    @Test
    void aParamNeitherTheScenarioNorTheImageKnowsGetsTheNearestOfBoth() {
        List<Problem> p = problems(scenario("params: {writes: \"3\"}"), Map.of("etcd.heartbeat", "100"));
        assertThat(p).hasSize(1);
        assertThat(p.get(0).toString())
                .startsWith("--param etcd.heartbeat=100")
                .contains("has no param 'etcd.heartbeat' and its image has none")
                .contains("did you mean 'etcd.heartbeat_ms'?")
                .contains("image etcd-test: etcd.election_ms, etcd.heartbeat_ms, jobq.mode");
    }

    @Test
    void aBadValueOfAnImageParamIsBlamedOnTheOption() {
        List<Problem> p = problems(scenario("params: {writes: \"3\"}"), Map.of("jobq.mode", "a b"));
        assertThat(p)
                .extracting(Problem::toString)
                .singleElement()
                .asString()
                .startsWith("--param jobq.mode=a b")
                .contains("must not contain white space");
    }

    @Test
    void aDeclaredParamThatLooksLikeAMisspeltImageParamIsAnErrorAtItsName() {
        List<Problem> p = problems(scenario("params:\n  writes: \"3\"\n  jobq.mod: local"), Map.of());
        assertThat(p).hasSize(1);
        assertThat(p.get(0).location().line()).isEqualTo(7);
        assertThat(p.get(0).message())
                .contains("param 'jobq.mod' is not a param of image etcd-test; did you mean 'jobq.mode'?")
                .contains("the guest would ignore it");
    }

    @Test
    void aDeclaredParamInTheImagesNamespaceThatItDoesNotHaveIsAnError() {
        List<Problem> p = problems(scenario("params:\n  writes: \"3\"\n  etcd.snapshot_count: \"5\""), Map.of());
        assertThat(p)
                .extracting(Problem::message)
                .singleElement()
                .asString()
                .contains("param 'etcd.snapshot_count' is not a param of image etcd-test")
                .contains("its etcd.* params: etcd.election_ms, etcd.heartbeat_ms");
    }

    @Test
    void scenarioVariablesAndRedeclaredImageParamsAreFine() {
        Scenario s = ScenarioParser.parse(
                scenario("params: {writes: \"3\", queue.port: \"3020\", jobq.mode: local}"), FILE, Map.of(), ETCD_TEST);
        assertThat(s.params()).containsKeys("writes", "queue.port", "jobq.mode");
    }

    @Test
    void anImageThatIsNotKnownChecksNothing() {
        Scenario s = ScenarioParser.parse(
                scenario("params: {writes: \"3\", jobq.mod: local}").replace("image: etcd-test", "image: other"),
                FILE,
                Map.of(),
                ETCD_TEST);
        assertThat(s.params()).containsKey("jobq.mod");
    }
}
