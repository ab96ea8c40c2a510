package io.vmcluster.scenario.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every step verb and the option fields it accepts. docs/scenarios.md documents each. */
public final class Vocabulary {
    private Vocabulary() {}

    private static final List<String> COMMAND = List.of("on", "expect", "capture", "timeout", "show_output");
    private static final List<String> ON_TIMEOUT = List.of("on", "timeout");
    private static final List<String> TIMEOUT = List.of("timeout");

    /** verb → the fields it accepts besides itself. */
    public static final Map<String, List<String>> STEPS = build();

    private static Map<String, List<String>> build() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("succeed", COMMAND);
        m.put("fail", COMMAND);
        m.put("exec", COMMAND);
        m.put("show", List.of("on", "timeout"));
        m.put("wait_until", List.of("on", "expect", "timeout", "interval", "capture", "show_output"));
        m.put("wait_for_service", ON_TIMEOUT);
        m.put("wait_for_port", ON_TIMEOUT);
        m.put("find_node", List.of("run", "on", "where", "capture", "unique", "timeout"));
        m.put("start_service", ON_TIMEOUT);
        m.put("stop_service", ON_TIMEOUT);
        m.put("restart_service", ON_TIMEOUT);
        m.put("kill_process", ON_TIMEOUT);
        for (String v : List.of("crash", "restart", "pause", "resume", "reset", "shutdown", "start")) {
            m.put(v, TIMEOUT);
        }
        m.put("upgrade", List.of("image", "timeout"));
        m.put("partition", List.of("seed", "timeout"));
        m.put("isolate", TIMEOUT);
        m.put("cut_nic", TIMEOUT);
        m.put("cut_one_way", List.of("to", "timeout"));
        m.put(
                "impair",
                List.of(
                        "to",
                        "delay",
                        "jitter",
                        "correlation",
                        "loss",
                        "duplicate",
                        "corrupt",
                        "reorder",
                        "rate",
                        "timeout"));
        m.put("packet_capture", TIMEOUT);
        m.put("slow_disk", List.of("iops", "bytes_per_second", "timeout"));
        m.put("disk_errors", List.of("io", "sector", "timeout"));
        m.put("skew_clock", List.of("by", "timeout"));
        m.put("wipe_disk", TIMEOUT);
        m.put("copy_in", List.of("to", "on"));
        m.put("copy_out", List.of("to", "on"));
        m.put("heal", List.of());
        m.put(
                "workload",
                List.of(
                        "clients",
                        "duration",
                        "ops",
                        "rate",
                        "seed",
                        "keys",
                        "op_timeout",
                        "mix",
                        "final_read",
                        "probes",
                        "checkers"));
        m.put("workload_end", List.of("stop", "timeout"));
        m.put("nemesis", List.of());
        m.put("repeat", List.of("steps", "as"));
        m.put("parallel", List.of());
        m.put("sleep", List.of());
        m.put("log", List.of());
        m.put("snapshot", List.of("cache"));
        m.put(
                "wan",
                java.util.stream.Stream.concat(
                                io.vmcluster.fault.ImpairmentYaml.FIELDS.stream(), java.util.stream.Stream.of("clear"))
                        .toList());
        m.put("restore", List.of());
        m.put("backup", List.of("on"));
        m.put("restore_backup", List.of("on"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Fields every step accepts besides its verb's own: the step's name in reports (either spelling). */
    public static final List<String> EVERY_STEP = List.of("name", "label");

    /** Fields of {@code expect:} / {@code where:}. */
    public static final List<String> CHECKS = List.of(
            "exit_code",
            "stdout_contains",
            "stdout_not_contains",
            "stdout_matches",
            "stdout_equals",
            "stderr_contains",
            "json");

    public static final List<String> JSON_CHECK = List.of("path", "equals");

    public static final List<String> SCENARIO =
            List.of("name", "description", "cluster", "params", "timeouts", "stop_on_failure", "tests");

    public static final List<String> TEST = List.of("name", "fresh", "steps", "timeout", "stop_on_failure");

    public static final List<String> TIMEOUTS = List.of("step", "test", "run");

    public static final Set<String> SHAPES =
            Set.of("halves", "majority_minority", "majorities_ring", "bridge", "isolate_one");
}
