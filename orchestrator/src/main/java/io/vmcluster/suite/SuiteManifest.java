package io.vmcluster.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.report.MissingShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code suite.json}: what makes a directory a suite's results, and what {@code vmcluster merge}
 * checks before it joins several: the whole split (every unit of the plan, the shard count, the
 * rounds and base seed), which shards this directory holds, and each unit it ran (where, with what
 * seed, from which file).
 *
 * @param count how many shards the suite was split into
 * @param plan every unit id of the suite, in plan order (all shards', not only these)
 * @param repeat rounds per scenario
 * @param seed the base seed of the rounds, or null
 * @param shards the shards whose units this directory holds (one for a shard's run, more after a merge)
 * @param units the units this directory holds, in plan order
 * @param missing the shards a merge went without ({@code --allow-missing}), wholly or in part; empty
 *     for a shard's own run and for a complete merge
 */
public record SuiteManifest(
        int count,
        List<String> plan,
        int repeat,
        Long seed,
        SortedSet<Integer> shards,
        List<UnitRecord> units,
        List<MissingShard> missing) {
    /** The file's name in a suite's results directory. */
    public static final String FILE = "suite.json";

    static final String FORMAT = "vmcluster-suite/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SuiteManifest {
        plan = List.copyOf(plan);
        shards = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(shards));
        units = List.copyOf(units);
        missing = List.copyOf(missing);
    }

    /** A manifest with no shards missing. */
    public SuiteManifest(
            int count, List<String> plan, int repeat, Long seed, SortedSet<Integer> shards, List<UnitRecord> units) {
        this(count, plan, repeat, seed, shards, units, List.of());
    }

    /**
     * One unit as it ran.
     *
     * @param unit its id ({@link SuiteUnit#id()}), also its directory
     * @param scenario the scenario's name
     * @param round its round (1 without --repeat)
     * @param shard the shard that ran it
     * @param host the machine that ran it (its host name)
     * @param file the scenario file as that machine was given it
     * @param seed the run's nemesis seed, or null
     */
    public record UnitRecord(
            String unit, String scenario, int round, int shard, String host, String file, String seed) {
        public UnitRecord {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(scenario, "scenario");
        }
    }

    /** Writes {@code dir/suite.json}. */
    public void write(Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("count", count);
        root.put("repeat", repeat);
        if (seed == null) root.putNull("seed");
        else root.put("seed", seed);
        ArrayNode p = root.putArray("plan");
        plan.forEach(p::add);
        ArrayNode s = root.putArray("shards");
        shards.forEach(s::add);
        ArrayNode u = root.putArray("units");
        for (UnitRecord r : units) {
            ObjectNode o = u.addObject();
            o.put("unit", r.unit());
            o.put("scenario", r.scenario());
            o.put("round", r.round());
            o.put("shard", r.shard());
            o.put("host", r.host());
            o.put("file", r.file());
            o.put("seed", r.seed());
        }
        if (!missing.isEmpty()) {
            ArrayNode ms = root.putArray("missing");
            for (MissingShard x : missing) {
                ObjectNode o = ms.addObject();
                o.put("shard", x.shard());
                o.put("partly", x.partly());
                ArrayNode mu = o.putArray("units");
                x.units().forEach(mu::add);
                o.put("reason", x.reason());
            }
        }
        // written aside and moved over: a shard killed while writing leaves the previous file, not half of one
        Path tmp = dir.resolve("." + FILE + ".tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /**
     * Reads {@code dir/suite.json}.
     *
     * @throws InvalidSuiteException naming the file and the field at fault
     */
    public static SuiteManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidSuiteException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new InvalidSuiteException(
                    file + ":" + e.getLocation().getLineNr() + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidSuiteException(file + ": cannot read it: " + e.getMessage());
        }
        Fields f = new Fields(file, root, "");
        String format = f.text("format");
        if (!FORMAT.equals(format)) {
            throw new InvalidSuiteException(
                    file + ": format '" + format + "': this vmcluster reads " + FORMAT + " (made by another version?)");
        }
        int count = f.integer("count", 1, Shard.MAX_COUNT);
        int repeat = f.integer("repeat", 1, 10_000);
        Long seed = root.path("seed").isIntegralNumber() ? root.get("seed").asLong() : null;
        List<String> plan = new ArrayList<>();
        for (JsonNode n : f.array("plan")) plan.add(n.asText());
        SortedSet<Integer> shards = new TreeSet<>();
        for (JsonNode n : f.array("shards")) {
            if (!n.isInt() || n.asInt() < 1 || n.asInt() > count) {
                throw new InvalidSuiteException(file + ": shards: " + n + " is not a shard of 1.." + count);
            }
            shards.add(n.asInt());
        }
        List<UnitRecord> units = new ArrayList<>();
        int i = 0;
        for (JsonNode n : f.array("units")) {
            Fields u = new Fields(file, n, "units[" + i++ + "].");
            String unit = u.text("unit");
            if (!plan.contains(unit)) {
                throw new InvalidSuiteException(file + ": " + u.prefix + "unit '" + unit + "' is not in the plan");
            }
            units.add(new UnitRecord(
                    unit,
                    u.text("scenario"),
                    u.integer("round", 1, repeat),
                    u.integer("shard", 1, count),
                    n.path("host").asText(""),
                    n.path("file").asText(""),
                    n.path("seed").isNull() || n.path("seed").isMissingNode()
                            ? null
                            : n.get("seed").asText()));
        }
        List<MissingShard> missing = new ArrayList<>();
        JsonNode ms = root.path("missing");
        if (!ms.isMissingNode() && !ms.isArray()) {
            throw new InvalidSuiteException(file + ": missing: not a list");
        }
        i = 0;
        for (JsonNode n : ms) {
            Fields x = new Fields(file, n, "missing[" + i++ + "].");
            List<String> lost = new ArrayList<>();
            for (JsonNode v : x.array("units")) lost.add(v.asText());
            missing.add(new MissingShard(
                    x.integer("shard", 1, count),
                    count,
                    lost,
                    x.text("reason"),
                    n.path("partly").asBoolean(false)));
        }
        return new SuiteManifest(count, plan, repeat, seed, shards, units, missing);
    }

    /** Required fields of one JSON object, with errors naming the file and the field. */
    private record Fields(Path file, JsonNode node, String prefix) {
        String text(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isTextual()) {
                throw new InvalidSuiteException(file + ": " + prefix + name + ": missing or not a string");
            }
            return v.asText();
        }

        int integer(String name, int min, int max) {
            JsonNode v = node.get(name);
            if (v == null || !v.isInt() || v.asInt() < min || v.asInt() > max) {
                throw new InvalidSuiteException(file + ": " + prefix + name + ": must be a whole number " + min + " to "
                        + max + ", found " + v);
            }
            return v.asInt();
        }

        Iterable<JsonNode> array(String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isArray()) {
                throw new InvalidSuiteException(file + ": " + prefix + name + ": missing or not a list");
            }
            return v;
        }
    }
}
