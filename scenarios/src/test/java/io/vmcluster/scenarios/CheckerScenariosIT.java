package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.scenario.run.TestOutcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped scenarios under {@code scenarios/checkers/} on real VMs: each correct configuration
 * passes, and each mutant is caught by its checker (its workload test fails with the checker's
 * explanation). One cluster per case, 2-3.5 minutes each under TCG. {@code
 * VMC_IT_CHECKERS=jobq-set,etcd-register-s} in the environment runs only the named cases, {@code
 * VMC_IT_CHECKERS=all} every case; unset, the suite runs the two mutants (the checkers must catch
 * them), so that {@code scripts/test} stays well under 40 minutes on 2 cores. The correct
 * configurations' series is {@code scripts/checker-series}.
 */
class CheckerScenariosIT {
    @BeforeAll
    static void host() {
        RealRun.assumeHostCanBootVms();
    }

    /**
     * @param id the case's name for VMC_IT_CHECKERS
     * @param file the scenario under scenarios/checkers/
     * @param params params given as with --param
     * @param caughtBy null when it must pass, else the text the failing test's message must hold
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("jobq-set", "jobq-set", Map.of(), null),
                Arguments.of("jobq-set-ack-early", "jobq-set", Map.of("jobq.mode", "ack-early"), "set invalid"),
                Arguments.of("etcd-register", "etcd-register", Map.of(), null),
                Arguments.of(
                        "etcd-register-s", "etcd-register", Map.of("read.consistency", "s"), "linearizable invalid"),
                Arguments.of("leader-probes", "leader-probes", Map.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void correct_configurations_pass_and_mutants_are_caught(
            String id, String file, Map<String, String> params, String caughtBy) throws IOException {
        String only = System.getenv().getOrDefault("VMC_IT_CHECKERS", "");
        boolean selected = only.isBlank()
                ? caughtBy != null
                : only.equals("all") || List.of(only.split(",")).contains(id);
        assumeTrue(selected, "not selected by VMC_IT_CHECKERS (unset: the mutants only; 'all': every case)");
        RealRun.Finished run = RealRun.run(ScenarioFiles.DIR.resolve("checkers").resolve(file + ".yaml"), params, id);
        RunResult r = run.result();
        assertThat(r.error()).as("run-level error").isNull();
        List<TestOutcome> tests = r.tests();
        assertThat(tests)
                .as("%s: the setup test passes: %s", id, tests)
                .first()
                .extracting(TestOutcome::status)
                .isEqualTo(Status.PASSED);
        TestOutcome workload = tests.get(tests.size() - 1);
        JsonNode checks =
                new ObjectMapper().readTree(run.dir().resolve("checks.json").toFile());
        assertThat(Files.size(run.dir().resolve("history.jsonl")))
                .as("the history was written")
                .isPositive();
        if (caughtBy == null) {
            assertThat(workload.status())
                    .as("%s passes: %s", id, workload.message())
                    .isEqualTo(Status.PASSED);
            assertThat(checks.get("valid").asText()).isEqualTo("valid");
        } else {
            assertThat(workload.status()).as("%s is caught", id).isEqualTo(Status.FAILED);
            assertThat(workload.message()).contains(caughtBy);
            assertThat(checks.get("valid").asText()).isEqualTo("invalid");
        }
        Path summary = run.dir().resolve("checks.json");
        System.out.println("[" + id + "] " + workload.status() + ": "
                + (workload.message() == null ? "" : workload.message()) + " (" + summary + ")");
    }
}
