package io.vmcluster.scenario.parse;

import io.vmcluster.fault.DiskErrors;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Impairment;
import io.vmcluster.fault.ImpairmentYaml;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.qmp.IoThrottle;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.time.Durations;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fault steps into the fault API's own values ({@link FaultSpec} over node selectors),
 * checking every parameter against what the fault API allows, so that building the value never
 * fails on input that passed.
 */
final class FaultParser {

    private static final Pattern OFFSET = Pattern.compile("([+-]?)(.+)");

    private final Problems problems;
    private final StepParser steps;

    FaultParser(Problems problems, StepParser steps) {
        this.problems = problems;
        this.steps = steps;
    }

    FaultSpec<NodeSelector> fault(Fields f, String verb, YamlNode value, Scope scope) {
        return switch (verb) {
            case "partition" -> partition(f, value, scope);
            case "isolate" -> nodes(value, verb, scope, FaultSpec.Isolate::new);
            case "cut_nic" -> nodes(value, verb, scope, FaultSpec.CutNic::new);
            case "wipe_disk" -> nodes(value, verb, scope, FaultSpec.WipeDisk::new);
            case "disk_errors" -> diskErrors(f, value, scope);
            case "cut_one_way" -> {
                NodeSelector from = steps.selector(value, verb, scope);
                NodeSelector to = f.has("to") ? steps.selector(f.get("to"), "to", scope) : null;
                if (!f.has("to")) f.missing("to", "the node(s) that stop receiving from " + verb + "'s node(s)");
                yield from == null || to == null ? null : new FaultSpec.CutOneWay<>(from, to);
            }
            case "impair" -> impair(f, value, scope);
            case "packet_capture" -> {
                NodeSelector n = steps.selector(value, verb, scope);
                yield n == null ? null : new FaultSpec.PacketCapture<>(n);
            }
            case "slow_disk" -> {
                NodeSelector n = steps.selector(value, verb, scope);
                Long iops = f.integer("iops", 1, 1_000_000);
                Long bps = f.integer("bytes_per_second", 1, 100L << 30);
                if (iops == null && bps == null && !f.has("iops") && !f.has("bytes_per_second")) {
                    problems.add(f.location(), "slow_disk needs 'iops' and/or 'bytes_per_second' (whole numbers)");
                }
                yield n == null || (iops == null && bps == null)
                        ? null
                        : new FaultSpec.SlowDisk<>(
                                n, new IoThrottle(bps == null ? 0 : bps, 0, 0, iops == null ? 0 : iops, 0, 0, 0, 0));
            }
            case "skew_clock" -> {
                NodeSelector n = steps.selector(value, verb, scope);
                Duration by = offset(f);
                yield n == null || by == null ? null : new FaultSpec.SkewClock<>(n, by);
            }
            default -> throw new AssertionError(verb);
        };
    }

    private FaultSpec<NodeSelector> nodes(
            YamlNode value,
            String verb,
            Scope scope,
            java.util.function.Function<NodeSelector, FaultSpec<NodeSelector>> make) {
        NodeSelector n = steps.selector(value, verb, scope);
        return n == null ? null : make.apply(n);
    }

    private FaultSpec<NodeSelector> partition(Fields f, YamlNode value, Scope scope) {
        if (value.isScalar()) {
            String shape = value.text().strip().toLowerCase(Locale.ROOT);
            if (!Vocabulary.SHAPES.contains(shape)) {
                problems.add(
                        value.location(),
                        "unknown partition shape '" + value.text() + "'"
                                + Suggest.didYouMean(shape, Vocabulary.SHAPES) + "; shapes: "
                                + String.join(
                                        ", ",
                                        Vocabulary.SHAPES.stream().sorted().toList())
                                + " (or a list of groups: [[node1], [node2, node3]])");
                return null;
            }
            Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
            return new FaultSpec.ShapedPartition<>(
                    PartitionShape.valueOf(shape.toUpperCase(Locale.ROOT)), seed == null ? 0 : seed);
        }
        if (!value.isList() || value.items().size() < 2) {
            problems.add(
                    value.location(),
                    "partition needs at least two groups, like [[node1], [node2, node3]], " + "or a shape: "
                            + String.join(
                                    ", ", Vocabulary.SHAPES.stream().sorted().toList()));
            return null;
        }
        if (f.has("seed")) problems.add(f.locationOf("seed"), "'seed' only applies to a partition shape");
        List<NodeSelector> groups = new ArrayList<>();
        for (YamlNode g : value.items()) {
            NodeSelector s = steps.selector(g, "a partition group", scope);
            if (s == null) return null;
            if (s.all()) {
                problems.add(g.location(), "a partition group names nodes; 'all' would leave no other group");
                return null;
            }
            groups.add(s);
        }
        for (int i = 0; i < groups.size(); i++) {
            for (int j = i + 1; j < groups.size(); j++) {
                for (String n : groups.get(i).names()) {
                    if (groups.get(j).names().contains(n)) {
                        problems.add(
                                value.location(),
                                "node '" + n + "' is in two partition groups; a node is in one group");
                    }
                }
            }
        }
        return new FaultSpec.PartitionGroups<>(groups);
    }

    private static final List<String> DISK_IO = List.of("read", "write", "both");

    private FaultSpec<NodeSelector> diskErrors(Fields f, YamlNode value, Scope scope) {
        NodeSelector n = steps.selector(value, "disk_errors", scope);
        String io = f.string("io", false, "which requests fail: read, write or both");
        boolean reads = true;
        boolean writes = true;
        if (io != null) {
            String want = io.strip().toLowerCase(Locale.ROOT);
            if (!DISK_IO.contains(want)) {
                problems.add(
                        f.locationOf("io"),
                        "'io' of disk_errors must be read, write or both, found '" + io + "'"
                                + Suggest.didYouMean(want, DISK_IO));
            } else {
                reads = !want.equals("write");
                writes = !want.equals("read");
            }
        }
        Long sector = f.integer("sector", 0, Long.MAX_VALUE);
        if (n == null || (!reads && !writes)) return null;
        return new FaultSpec.FailDisk<>(
                n, new DiskErrors(reads, writes, sector == null ? OptionalLong.empty() : OptionalLong.of(sector)));
    }

    private FaultSpec<NodeSelector> impair(Fields f, YamlNode value, Scope scope) {
        NodeSelector nodes = steps.selector(value, "impair", scope);
        NodeSelector to = f.has("to") ? steps.selector(f.get("to"), "to", scope) : null;
        Impairment imp = ImpairmentYaml.read(f, "impair");
        if (nodes == null || imp == null) return null;
        return new FaultSpec.Impair<>(nodes, to, imp);
    }

    private Duration offset(Fields f) {
        YamlNode v = f.get("by");
        if (v == null || v.isNull()) {
            f.missing("by", "the signed offset, like +30s or -2m");
            return null;
        }
        String text = f.value(v, "by", "a signed offset like +30s, -2m or 500ms");
        if (text == null) return null;
        Matcher m = OFFSET.matcher(text.strip());
        try {
            if (!m.matches()) throw new IllegalArgumentException("found " + Fields.shown(v, text));
            Duration d = Durations.parse(m.group(2));
            return m.group(1).equals("-") ? d.negated() : d;
        } catch (IllegalArgumentException e) {
            problems.add(v.location(), "'by' must be a signed offset like +30s, -2m or 500ms: " + e.getMessage());
            return null;
        }
    }
}
