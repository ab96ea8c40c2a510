package io.vmcluster.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.fault.DiskErrors;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.fault.Impairment;
import io.vmcluster.fault.PartitionShape;
import io.vmcluster.qmp.IoThrottle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code schedule.json}: a schedule as written into the results directory and read back for a
 * replay or a shrink. Times are whole milliseconds; every fault is an object with its {@code kind}
 * (the scenario language's verb) and its parameters; nodes are a list of names or
 * {@code {"probe": NAME}}. The format is versioned ({@code "format": 1}); reading names the
 * entry and field that is wrong.
 */
public final class ScheduleJson {
    /** The file's name in a results directory. */
    public static final String FILE = "schedule.json";

    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScheduleJson() {}

    /** Writes {@code schedule} to {@code file} (replacing it). */
    public static void write(Schedule schedule, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson(schedule) + "\n");
    }

    /**
     * Reads a schedule file.
     *
     * @throws InvalidScheduleException naming the file, the entry and the field at fault
     */
    public static Schedule read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidScheduleException(file + ": not JSON: " + e.getOriginalMessage());
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException(file + ": " + e.getMessage());
        }
    }

    static String toJson(Schedule s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("seed", s.seed());
        ArrayNode nodes = root.putArray("nodes");
        s.nodes().forEach(nodes::add);
        root.put("lengthMs", s.length().toMillis());
        root.put("recoveryMs", s.recovery().toMillis());
        ArrayNode faults = root.putArray("faults");
        for (ScheduledFault f : s.faults()) {
            ObjectNode o = faults.addObject();
            o.put("id", f.id());
            o.put("atMs", f.at().toMillis());
            o.put("durationMs", f.duration().toMillis());
            o.set("fault", fault(f.fault()));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Schedule fromJson(JsonNode root) {
        Reader r = new Reader(root, "the schedule");
        long format = r.integer("format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + format + " is not one this version reads (" + FORMAT + ")");
        }
        List<String> nodes = r.names("nodes");
        List<ScheduledFault> faults = new ArrayList<>();
        JsonNode list = r.field("faults");
        if (!list.isArray()) {
            throw new IllegalArgumentException("'faults' must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            Reader e = new Reader(list.get(i), "fault entry " + (i + 1));
            faults.add(new ScheduledFault(
                    (int) e.integer("id"),
                    Duration.ofMillis(e.integer("atMs")),
                    Duration.ofMillis(e.integer("durationMs")),
                    fault(new Reader(e.field("fault"), "fault entry " + (i + 1)))));
        }
        return new Schedule(
                r.integer("seed"),
                nodes,
                Duration.ofMillis(r.integer("lengthMs")),
                Duration.ofMillis(r.integer("recoveryMs")),
                faults);
    }

    // ---- faults -------------------------------------------------------------------------------

    private static ObjectNode fault(FaultSpec<ScheduledNodes> spec) {
        ObjectNode o = JSON.createObjectNode();
        if (spec instanceof FaultSpec.PartitionGroups<ScheduledNodes> p) {
            o.put("kind", "partition");
            ArrayNode groups = o.putArray("groups");
            p.groups().forEach(g -> groups.add(nodes(g)));
        } else if (spec instanceof FaultSpec.ShapedPartition<ScheduledNodes> p) {
            o.put("kind", "partition");
            o.put("shape", p.shape().wireName());
            o.put("seed", p.seed());
        } else if (spec instanceof FaultSpec.Isolate<ScheduledNodes> i) {
            nodes(o, "isolate", i.nodes());
        } else if (spec instanceof FaultSpec.CutNic<ScheduledNodes> c) {
            nodes(o, "cut_nic", c.nodes());
        } else if (spec instanceof FaultSpec.CutOneWay<ScheduledNodes> c) {
            nodes(o, "cut_one_way", c.from());
            o.set("to", nodes(c.to()));
        } else if (spec instanceof FaultSpec.Impair<ScheduledNodes> i) {
            nodes(o, "impair", i.nodes());
            if (i.to() != null) {
                o.set("to", nodes(i.to()));
            }
            Impairment m = i.impairment();
            ObjectNode n = o.putObject("impairment");
            n.put("delayMs", m.delay().toMillis());
            n.put("jitterMs", m.jitter().toMillis());
            n.put("delayCorrelation", m.delayCorrelation());
            n.put("loss", m.loss());
            n.put("lossCorrelation", m.lossCorrelation());
            n.put("duplicate", m.duplicate());
            n.put("corrupt", m.corrupt());
            n.put("reorder", m.reorder());
            n.put("reorderCorrelation", m.reorderCorrelation());
            n.put("rateBitsPerSecond", m.rateBitsPerSecond());
        } else if (spec instanceof FaultSpec.PacketCapture<ScheduledNodes> c) {
            nodes(o, "packet_capture", c.nodes());
        } else if (spec instanceof FaultSpec.SlowDisk<ScheduledNodes> s) {
            nodes(o, "slow_disk", s.nodes());
            IoThrottle l = s.limits();
            ObjectNode n = o.putObject("limits");
            n.put("bps", l.bps());
            n.put("bpsRead", l.bpsRead());
            n.put("bpsWrite", l.bpsWrite());
            n.put("iops", l.iops());
            n.put("iopsRead", l.iopsRead());
            n.put("iopsWrite", l.iopsWrite());
            n.put("bpsMax", l.bpsMax());
            n.put("iopsMax", l.iopsMax());
        } else if (spec instanceof FaultSpec.FailDisk<ScheduledNodes> d) {
            nodes(o, "disk_errors", d.nodes());
            o.put("reads", d.errors().reads());
            o.put("writes", d.errors().writes());
            d.errors().sector().ifPresent(sector -> o.put("sector", sector));
        } else if (spec instanceof FaultSpec.SkewClock<ScheduledNodes> s) {
            nodes(o, "skew_clock", s.nodes());
            o.put("offsetMs", s.offset().toMillis());
        } else if (spec instanceof FaultSpec.Pause<ScheduledNodes> p) {
            nodes(o, "pause", p.nodes());
        } else if (spec instanceof FaultSpec.Crash<ScheduledNodes> c) {
            nodes(o, "crash", c.nodes());
        } else if (spec instanceof FaultSpec.Shutdown<ScheduledNodes> s) {
            nodes(o, "shutdown", s.nodes());
        } else if (spec instanceof FaultSpec.Reset<ScheduledNodes> r) {
            nodes(o, "reset", r.nodes());
        } else if (spec instanceof FaultSpec.WipeDisk<ScheduledNodes> w) {
            nodes(o, "wipe_disk", w.nodes());
        } else if (spec instanceof FaultSpec.StopService<ScheduledNodes> s) {
            nodes(o, "stop_service", s.nodes());
            o.put("service", s.service());
        } else if (spec instanceof FaultSpec.KillProcess<ScheduledNodes> k) {
            nodes(o, "kill_process", k.nodes());
            o.put("process", k.process());
        } else {
            throw new IllegalArgumentException("no schedule form for " + spec);
        }
        return o;
    }

    private static void nodes(ObjectNode o, String kind, ScheduledNodes nodes) {
        o.put("kind", kind);
        o.set("nodes", nodes(nodes));
    }

    private static JsonNode nodes(ScheduledNodes nodes) {
        if (nodes instanceof ScheduledNodes.Probe p) {
            return JSON.createObjectNode().put("probe", p.name());
        }
        ArrayNode a = JSON.createArrayNode();
        ((ScheduledNodes.Names) nodes).names().forEach(a::add);
        return a;
    }

    private static FaultSpec<ScheduledNodes> fault(Reader r) {
        String kind = r.text("kind");
        return switch (kind) {
            case "partition" ->
                r.has("shape")
                        ? new FaultSpec.ShapedPartition<>(PartitionShape.parse(r.text("shape")), r.integer("seed"))
                        : new FaultSpec.PartitionGroups<>(
                                r.list("groups").stream().map(r::nodes).toList());
            case "isolate" -> new FaultSpec.Isolate<>(r.nodes("nodes"));
            case "cut_nic" -> new FaultSpec.CutNic<>(r.nodes("nodes"));
            case "cut_one_way" -> new FaultSpec.CutOneWay<>(r.nodes("nodes"), r.nodes("to"));
            case "impair" ->
                new FaultSpec.Impair<>(
                        r.nodes("nodes"), r.has("to") ? r.nodes("to") : null, impairment(r.child("impairment")));
            case "packet_capture" -> new FaultSpec.PacketCapture<>(r.nodes("nodes"));
            case "slow_disk" -> {
                Reader l = r.child("limits");
                yield new FaultSpec.SlowDisk<>(
                        r.nodes("nodes"),
                        new IoThrottle(
                                l.integer("bps"),
                                l.integer("bpsRead"),
                                l.integer("bpsWrite"),
                                l.integer("iops"),
                                l.integer("iopsRead"),
                                l.integer("iopsWrite"),
                                l.integer("bpsMax"),
                                l.integer("iopsMax")));
            }
            case "disk_errors" ->
                new FaultSpec.FailDisk<>(
                        r.nodes("nodes"),
                        new DiskErrors(
                                r.bool("reads"),
                                r.bool("writes"),
                                r.has("sector") ? OptionalLong.of(r.integer("sector")) : OptionalLong.empty()));
            case "skew_clock" -> new FaultSpec.SkewClock<>(r.nodes("nodes"), Duration.ofMillis(r.integer("offsetMs")));
            case "pause" -> new FaultSpec.Pause<>(r.nodes("nodes"));
            case "crash" -> new FaultSpec.Crash<>(r.nodes("nodes"));
            case "shutdown" -> new FaultSpec.Shutdown<>(r.nodes("nodes"));
            case "reset" -> new FaultSpec.Reset<>(r.nodes("nodes"));
            case "wipe_disk" -> new FaultSpec.WipeDisk<>(r.nodes("nodes"));
            case "stop_service" -> new FaultSpec.StopService<>(r.nodes("nodes"), r.text("service"));
            case "kill_process" -> new FaultSpec.KillProcess<>(r.nodes("nodes"), r.text("process"));
            default ->
                throw new IllegalArgumentException(r.where + ": unknown fault kind '" + kind
                        + "'; the kinds are partition, isolate, cut_nic, cut_one_way, impair, packet_capture,"
                        + " slow_disk, disk_errors, skew_clock, pause, crash, shutdown, reset, stop_service,"
                        + " kill_process");
        };
    }

    private static Impairment impairment(Reader r) {
        return new Impairment(
                Duration.ofMillis(r.integer("delayMs")),
                Duration.ofMillis(r.integer("jitterMs")),
                r.number("delayCorrelation"),
                r.number("loss"),
                r.number("lossCorrelation"),
                r.number("duplicate"),
                r.number("corrupt"),
                r.number("reorder"),
                r.number("reorderCorrelation"),
                r.integer("rateBitsPerSecond"));
    }

    /** Field access that names the entry and the field when something is missing or mistyped. */
    private record Reader(JsonNode node, String where) {
        Reader {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
        }

        boolean has(String name) {
            return node.has(name) && !node.get(name).isNull();
        }

        JsonNode field(String name) {
            if (!has(name)) {
                throw new IllegalArgumentException(where + " has no '" + name + "'");
            }
            return node.get(name);
        }

        Reader child(String name) {
            return new Reader(field(name), where + ", '" + name + "'");
        }

        long integer(String name) {
            JsonNode v = field(name);
            if (!v.isIntegralNumber()) {
                throw new IllegalArgumentException(where + ": '" + name + "' must be a whole number, got " + v);
            }
            return v.asLong();
        }

        double number(String name) {
            JsonNode v = field(name);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(where + ": '" + name + "' must be a number, got " + v);
            }
            return v.asDouble();
        }

        boolean bool(String name) {
            JsonNode v = field(name);
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(where + ": '" + name + "' must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        String text(String name) {
            JsonNode v = field(name);
            if (!v.isTextual()) {
                throw new IllegalArgumentException(where + ": '" + name + "' must be a string, got " + v);
            }
            return v.asText();
        }

        List<JsonNode> list(String name) {
            JsonNode v = field(name);
            if (!v.isArray()) {
                throw new IllegalArgumentException(where + ": '" + name + "' must be a list, got " + v);
            }
            List<JsonNode> out = new ArrayList<>();
            v.forEach(out::add);
            return out;
        }

        List<String> names(String name) {
            List<String> out = new ArrayList<>();
            for (JsonNode n : list(name)) {
                if (!n.isTextual()) {
                    throw new IllegalArgumentException(where + ": '" + name + "' must list node names, got " + n);
                }
                out.add(n.asText());
            }
            return out;
        }

        ScheduledNodes nodes(String name) {
            return nodes(field(name));
        }

        ScheduledNodes nodes(JsonNode v) {
            if (v.isObject() && v.has("probe") && v.get("probe").isTextual()) {
                return new ScheduledNodes.Probe(v.get("probe").asText());
            }
            if (v.isArray()) {
                List<String> out = new ArrayList<>();
                for (JsonNode n : v) {
                    if (!n.isTextual()) {
                        throw new IllegalArgumentException(where + ": node names must be strings, got " + n);
                    }
                    out.add(n.asText());
                }
                return new ScheduledNodes.Names(out);
            }
            throw new IllegalArgumentException(
                    where + ": nodes must be a list of names or {\"probe\": NAME}, got " + v);
        }
    }
}
