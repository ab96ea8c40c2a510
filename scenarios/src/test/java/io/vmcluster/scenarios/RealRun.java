package io.vmcluster.scenarios;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.scenario.run.RunOptions;
import io.vmcluster.scenario.run.RunResult;
import io.vmcluster.scenario.run.TestOutcome;
import io.vmcluster.time.Timing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Runs a shipped scenario on real VMs the way `vmcluster run` does, with progress on stdout, and
 * writes its report.html as the run does at its end.
 */
final class RealRun {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private RealRun() {}

    /** Skips (not fails) when the host cannot boot VMs: not root, no QEMU, no tun device. */
    static void assumeHostCanBootVms() {
        assumeTrue("root".equals(System.getProperty("user.name")), "real-VM scenarios need root (namespaces, taps)");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "real-VM scenarios need /dev/net/tun");
        assumeTrue(onPath("qemu-system-x86_64"), "real-VM scenarios need qemu-system-x86_64");
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }

    /** The accelerator: {@code VMC_ACCEL} if set, else TCG (KVM hangs on the CI machines). */
    static Accelerator accel() {
        return Accelerator.parse(System.getenv().getOrDefault("VMC_ACCEL", "tcg"));
    }

    /**
     * A finished run.
     *
     * @param result what the runner returned
     * @param dir its results directory (events.jsonl, node logs, report.html)
     */
    record Finished(RunResult result, Path dir) {}

    static Finished run(Path file, Map<String, String> params, String label) {
        return run(ScenarioParser.parse(file, params), label);
    }

    /**
     * Runs the scenario as written except that the first failed test skips the rest: for runs
     * that are expected to fail, where the later tests would only wait out their timeouts.
     */
    static Finished runUntilFirstFailure(Path file, Map<String, String> params, String label) {
        Scenario s = ScenarioParser.parse(file, params);
        return run(
                new Scenario(
                        s.name(), s.description(), s.file(), s.cluster(), s.params(), s.timeouts(), true, s.tests()),
                label);
    }

    private static Finished run(Scenario scenario, String label) {
        Path dir = Path.of("target", "it-results", label + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        try (JsonLinesEventSink events = JsonLinesEventSink.open(dir.resolve("events.jsonl"))) {
            events.addListener(e -> {
                String line = switch (e.kind()) {
                    case "test.start" -> "== " + e.fields().get("test");
                    case "test.end" ->
                        "== " + e.fields().get("test") + ": " + e.fields().get("status") + " ("
                                + e.fields().get("ms") + " ms)"
                                + (e.fields().get("message") == null
                                        ? ""
                                        : "\n" + e.fields().get("message"));
                    case "step.end" ->
                        "   " + (Boolean.TRUE.equals(e.fields().get("ok")) ? "ok   " : "FAIL ")
                                + e.fields().get("at") + " " + e.fields().get("step") + " ("
                                + e.fields().get("ms") + " ms)";
                    case "cluster.ready", "cluster.failed", "run.end", "log", "find_node" ->
                        e.kind() + " " + (e.node() == null ? "" : e.node() + " ") + e.fields();
                    case "show" -> "   [" + e.node() + "] " + e.fields().get("stdout");
                    default -> null;
                };
                if (line != null) System.out.println(LocalTime.now().format(CLOCK) + " [" + label + "] " + line);
            });
            RunResult r = io.vmcluster.scenario.ScenarioRunner.run(
                    scenario, RunOptions.real(dir, Timing.standard()).withAccel(accel()), events);
            System.out.println("[" + label + "] results in " + dir);
            for (TestOutcome t : r.tests()) {
                System.out.println("[" + label + "] " + t.status() + " " + t.name() + " "
                        + t.duration().toSeconds() + " s");
            }
            System.out.println("[" + label + "] report " + HtmlReport.write(new ResultsDirectory(dir)));
            return new Finished(r, dir);
        }
    }
}
