package io.vmcluster.scenario.parse;

import io.vmcluster.fault.DiskErrors;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Impairment;
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
import java.util.stream.Stream;

/**
 * Reads the fault steps into the fault API's own values ({@link FaultSpec} over node selectors),
 * checking every parameter against what the fault API allows, so that building the value never
 * fails on input that passed.
 */
final class FaultParser {

    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(kbit|mbit|gbit)", Pattern.CASE_INSENSITIVE);
    /** The largest rate a scenario may ask for: far above what a virtio NIC under TCG carries. */
    private static final long MAX_RATE_GBIT = 100;

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
        Duration delay = f.duration("delay");
        Duration jitter = f.duration("jitter");
        Double correlation = percent(f, "correlation");
        Double loss = percent(f, "loss");
        Double duplicate = percent(f, "duplicate");
        Double corrupt = percent(f, "corrupt");
        Double reorder = percent(f, "reorder");
        Long rate = rate(f);
        if (Stream.of(delay, jitter, correlation, loss, duplicate, corrupt, reorder, rate)
                .allMatch(java.util.Objects::isNull)) {
            boolean anyGiven =
                    List.of("delay", "jitter", "correlation", "loss", "duplicate", "corrupt", "reorder", "rate")
                            .stream()
                            .anyMatch(f::has);
            if (!anyGiven) {
                problems.add(
                        f.location(),
                        "impair needs at least one of delay, jitter, correlation, loss, duplicate, "
                                + "corrupt, reorder, rate (e.g. delay: 100ms)");
            }
            return null;
        }
        boolean bad = false;
        if (jitter != null && delay == null) {
            problems.add(f.locationOf("jitter"), "jitter needs a delay");
            bad = true;
        }
        if (reorder != null && delay == null) {
            problems.add(
                    f.locationOf("reorder"),
                    "reorder needs a delay (netem reorders by sending some packets without it)");
            bad = true;
        }
        if (correlation != null && delay == null && loss == null && reorder == null) {
            problems.add(f.locationOf("correlation"), "correlation needs a delay, loss or reorder to correlate");
            bad = true;
        }
        if (nodes == null || bad) return null;
        // the scenario's one correlation applies to each of delay, loss and reorder
        double corr = correlation == null ? 0 : correlation;
        Impairment imp = Impairment.none();
        try {
            if (delay != null) imp = imp.delay(delay, jitter == null ? Duration.ZERO : jitter, corr);
            if (loss != null) imp = imp.loss(loss, corr);
            if (duplicate != null) imp = imp.duplicate(duplicate);
            if (corrupt != null) imp = imp.corrupt(corrupt);
            if (reorder != null) imp = imp.reorder(reorder, corr);
            if (rate != null) imp = imp.rate(rate * 1000);
        } catch (IllegalArgumentException e) {
            problems.add(f.location(), "impair: " + e.getMessage());
            return null;
        }
        return new FaultSpec.Impair<>(nodes, to, imp);
    }

    private Double percent(Fields f, String key) {
        YamlNode v = f.get(key);
        if (v == null || v.isNull()) return null;
        String expected = "a percentage from 0 to 100, like 10% or 0.5%";
        String text = f.value(v, key, expected);
        if (text == null) return null;
        Matcher m = PERCENT.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 12 || Double.parseDouble(m.group(1)) > 100) {
            problems.add(v.location(), "'" + key + "' must be " + expected + ", found " + Fields.shown(v, text));
            return null;
        }
        return Double.parseDouble(m.group(1));
    }

    private Long rate(Fields f) {
        YamlNode v = f.get("rate");
        if (v == null || v.isNull()) return null;
        String text = f.value(v, "rate", "a bandwidth like 512kbit, 10mbit or 1gbit");
        if (text == null) return null;
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 9 || Long.parseLong(m.group(1)) == 0) {
            problems.add(
                    v.location(),
                    "'rate' must be a bandwidth like 512kbit, 10mbit or 1gbit (at most " + MAX_RATE_GBIT
                            + "gbit), found " + Fields.shown(v, text));
            return null;
        }
        long n = Long.parseLong(m.group(1));
        long kbit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kbit" -> n;
            case "mbit" -> n * 1000;
            default -> n * 1_000_000;
        };
        if (kbit > MAX_RATE_GBIT * 1_000_000) {
            problems.add(
                    v.location(),
                    "'rate' must be at most " + MAX_RATE_GBIT + "gbit (a virtual NIC is not faster), found " + text);
            return null;
        }
        return kbit;
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
