package io.vmcluster.scenario.parse;

import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.nemesis.Bounds;
import io.vmcluster.nemesis.FaultChoice;
import io.vmcluster.nemesis.NemesisSpec;
import io.vmcluster.nemesis.NodeChoice;
import io.vmcluster.scenario.step.NemesisStep;
import io.vmcluster.time.Durations;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code nemesis} step (docs/nemesis.md); every problem is located. */
final class NemesisParser {
    static final List<String> FIELDS =
            List.of("faults", "seed", "length", "duration", "gap", "concurrency", "recovery");
    static final List<String> KINDS = List.of(
            "crash",
            "pause",
            "shutdown",
            "reset",
            "kill_process",
            "stop_service",
            "isolate",
            "cut_nic",
            "partition",
            "cut_one_way",
            "impair",
            "slow_disk",
            "disk_errors",
            "skew_clock");

    private final Problems problems;
    /** What comes before the step: the probes ({@code probe NAME}) it may name. */
    private final Scope scope;

    NemesisParser(Problems problems, Scope scope) {
        this.problems = problems;
        this.scope = scope;
    }

    NemesisStep nemesis(Fields step, YamlNode value, String label) {
        if (value == null || !value.isMap()) {
            problems.add(
                    step.location(),
                    "nemesis needs a mapping with " + String.join(", ", FIELDS)
                            + ", e.g. 'nemesis: {faults: [crash: random], length: 60s}'");
            return null;
        }
        Fields f = new Fields(value, "the nemesis", problems, FIELDS);
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        Duration length = f.duration("length");
        if (length == null && !f.has("length")) f.missing("length", "how long faults are injected, e.g. 60s");
        Bounds duration = bounds(f, "duration", Bounds.between(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        Bounds gap = bounds(f, "gap", Bounds.between(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        Long concurrency = f.integer("concurrency", 1, 100);
        Duration recovery = f.has("recovery") ? f.duration("recovery") : Duration.ZERO;
        List<FaultChoice> faults = faults(f);
        if (length == null || duration == null || gap == null || faults == null || recovery == null) return null;
        try {
            return new NemesisStep(
                    step.location(),
                    new NemesisSpec(
                            faults, duration, gap, concurrency == null ? 1 : concurrency.intValue(), length, recovery),
                    seed,
                    label);
        } catch (IllegalArgumentException e) {
            problems.add(value.location(), "nemesis: " + e.getMessage());
            return null;
        }
    }

    /** {@code 5s} (fixed) or {@code 2s..10s} (drawn between). */
    private Bounds bounds(Fields f, String key, Bounds fallback) {
        YamlNode v = f.get(key);
        if (v == null || v.isNull()) return fallback;
        String text = f.value(v, key, "a duration like 5s, or bounds like 2s..10s");
        if (text == null) return null;
        String[] parts = text.split("\\.\\.", -1);
        try {
            if (parts.length == 1) return Bounds.fixed(Durations.parse(parts[0].strip()));
            if (parts.length == 2) {
                return Bounds.between(Durations.parse(parts[0].strip()), Durations.parse(parts[1].strip()));
            }
            problems.add(
                    v.location(), "'" + key + "' must be a duration like 5s or bounds like 2s..10s, found " + text);
        } catch (IllegalArgumentException e) {
            problems.add(v.location(), "bad '" + key + "': " + e.getMessage());
        }
        return null;
    }

    private List<FaultChoice> faults(Fields f) {
        YamlNode list = f.get("faults");
        if (list == null || !list.isList() || list.items().isEmpty()) {
            problems.add(
                    f.locationOf("faults"),
                    "the nemesis needs 'faults': a list of faults to choose from, e.g. [crash: random, pause: majority]"
                            + " (kinds: " + String.join(", ", KINDS) + ")");
            return null;
        }
        List<FaultChoice> out = new ArrayList<>();
        boolean bad = false;
        for (YamlNode item : list.items()) {
            FaultChoice c = fault(item);
            if (c == null) bad = true;
            else out.add(c);
        }
        return bad ? null : out;
    }

    private FaultChoice fault(YamlNode item) {
        if (!item.isMap() || item.entries().isEmpty()) {
            problems.add(
                    item.location(), "a nemesis fault is a mapping like 'crash: random', found " + item.describe());
            return null;
        }
        String kind = item.entries().keySet().iterator().next();
        if (!KINDS.contains(kind)) {
            problems.add(
                    item.location(),
                    "unknown nemesis fault '" + kind + "'" + Suggest.didYouMean(kind, KINDS) + " (kinds: "
                            + String.join(", ", KINDS) + ")");
            return null;
        }
        List<String> allowed = new ArrayList<>(List.of(kind, "weight", "duration"));
        if (kind.equals("kill_process")) allowed.add("process");
        if (kind.equals("stop_service")) allowed.add("service");
        if (kind.equals("cut_one_way")) allowed.add("to");
        if (kind.equals("impair")) allowed.addAll(io.vmcluster.fault.ImpairmentYaml.FIELDS);
        if (kind.equals("slow_disk")) allowed.addAll(List.of("iops", "bytes_per_second"));
        if (kind.equals("disk_errors")) allowed.addAll(List.of("io", "sector"));
        if (kind.equals("skew_clock")) allowed.add("by");
        Fields f = new Fields(item, "the nemesis fault " + kind, problems, allowed);
        Long weight = f.integer("weight", 1, 1000);
        Bounds duration = f.has("duration") ? bounds(f, "duration", null) : null;
        if (f.has("duration") && duration == null) return null;
        FaultSpec<NodeChoice> spec;
        if (kind.equals("partition")) {
            String shape = f.string(kind, true, "a shape: " + shapes());
            if (shape == null) return null;
            try {
                spec = new FaultSpec.ShapedPartition<>(PartitionShape.parse(shape), 0);
            } catch (IllegalArgumentException e) {
                problems.add(f.locationOf(kind), e.getMessage() + Suggest.didYouMean(shape, shapeNames()));
                return null;
            }
        } else {
            NodeChoice nodes = choice(f, kind);
            if (nodes == null) return null;
            spec = switch (kind) {
                case "crash" -> new FaultSpec.Crash<>(nodes);
                case "pause" -> new FaultSpec.Pause<>(nodes);
                case "shutdown" -> new FaultSpec.Shutdown<>(nodes);
                case "reset" -> new FaultSpec.Reset<>(nodes);
                case "isolate" -> new FaultSpec.Isolate<>(nodes);
                case "cut_nic" -> new FaultSpec.CutNic<>(nodes);
                case "cut_one_way" -> {
                    NodeChoice to = f.has("to") ? choice(f, "to") : null;
                    if (!f.has("to"))
                        f.missing("to", "which nodes stop receiving: random, minority, majority, all, or names");
                    yield to == null ? null : new FaultSpec.CutOneWay<>(nodes, to);
                }
                case "impair" -> {
                    io.vmcluster.fault.Impairment imp = io.vmcluster.fault.ImpairmentYaml.read(f, "impair");
                    yield imp == null ? null : new FaultSpec.Impair<>(nodes, null, imp);
                }
                case "slow_disk" -> {
                    Long iops = f.integer("iops", 1, 1_000_000);
                    Long bps = f.integer("bytes_per_second", 1, 100L << 30);
                    if (iops == null && bps == null && !f.has("iops") && !f.has("bytes_per_second")) {
                        problems.add(
                                item.location(), "slow_disk needs 'iops' and/or 'bytes_per_second' (whole numbers)");
                    }
                    yield iops == null && bps == null
                            ? null
                            : new FaultSpec.SlowDisk<>(
                                    nodes,
                                    new io.vmcluster.qmp.IoThrottle(
                                            bps == null ? 0 : bps, 0, 0, iops == null ? 0 : iops, 0, 0, 0, 0));
                }
                case "disk_errors" -> {
                    String io = f.string("io", false, "which requests fail: read, write or both");
                    String want = io == null ? "both" : io.strip();
                    if (!List.of("read", "write", "both").contains(want)) {
                        problems.add(
                                f.locationOf("io"),
                                "'io' of disk_errors must be read, write or both, found '" + io + "'");
                        yield null;
                    }
                    Long sector = f.integer("sector", 0, Long.MAX_VALUE);
                    yield new FaultSpec.FailDisk<>(
                            nodes,
                            new io.vmcluster.fault.DiskErrors(
                                    !want.equals("write"),
                                    !want.equals("read"),
                                    sector == null
                                            ? java.util.OptionalLong.empty()
                                            : java.util.OptionalLong.of(sector)));
                }
                case "skew_clock" -> {
                    String by = f.string("by", true, "the signed offset, like +30s or -2m");
                    if (by == null) yield null;
                    String t = by.strip();
                    boolean minus = t.startsWith("-");
                    try {
                        Duration d = Durations.parse(t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t);
                        yield new FaultSpec.SkewClock<>(nodes, minus ? d.negated() : d);
                    } catch (IllegalArgumentException e) {
                        problems.add(
                                f.locationOf("by"), "'by' must be a signed offset like +30s or -2m: " + e.getMessage());
                        yield null;
                    }
                }
                case "kill_process", "stop_service" -> {
                    String what = kind.equals("kill_process") ? "process" : "service";
                    String name = f.string(what, true, "the " + what + "'s name, e.g. jobq");
                    if (name == null) yield null;
                    yield kind.equals("kill_process")
                            ? new FaultSpec.KillProcess<>(nodes, name)
                            : new FaultSpec.StopService<>(nodes, name);
                }
                default -> throw new AssertionError(kind);
            };
            if (spec == null) return null;
        }
        return new FaultChoice(spec, weight == null ? 1 : weight.intValue(), duration);
    }

    /** {@code random}, {@code minority}, {@code majority}, {@code all}, or node names. */
    private NodeChoice choice(Fields f, String kind) {
        List<String> names = f.strings(kind);
        if (names.isEmpty()) {
            f.missing(
                    kind,
                    "which nodes: random, minority, majority, all, node names, or probe NAME (a find_node capture)");
            return null;
        }
        if (names.size() == 1 && names.get(0).startsWith("probe ")) {
            String probe = names.get(0).substring("probe ".length()).strip();
            if (!probe.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                problems.add(
                        f.locationOf(kind),
                        "'probe NAME' names the variable a find_node step captures, found '" + names.get(0) + "'");
                return null;
            }
            scope.useProbe(probe, f.locationOf(kind));
            return new NodeChoice.Probe(probe);
        }
        if (names.size() == 1) {
            switch (names.get(0)) {
                case "random":
                    return new NodeChoice.OneRandom();
                case "minority":
                    return new NodeChoice.Minority();
                case "majority":
                    return new NodeChoice.Majority();
                case "all":
                    return new NodeChoice.All();
                default:
                    break;
            }
        }
        return new NodeChoice.Named(names);
    }

    private static String shapes() {
        return String.join(", ", shapeNames());
    }

    private static List<String> shapeNames() {
        return java.util.Arrays.stream(PartitionShape.values())
                .map(PartitionShape::wireName)
                .toList();
    }
}
