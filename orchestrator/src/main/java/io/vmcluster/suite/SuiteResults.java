package io.vmcluster.suite;

import io.vmcluster.events.Event;
import io.vmcluster.events.EventsFile;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.report.JUnitXmlMerge;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.RunRecorder;
import io.vmcluster.report.RunReport;
import io.vmcluster.report.SuiteReportData;
import io.vmcluster.report.SuiteReportData.UnitRun;
import io.vmcluster.report.html.SuitePage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files at the top of a suite's results directory, made from its {@code suite.json} and the
 * units' own directories beneath it (each a complete run's results): {@code test-output.xml}
 * (every unit's test suite), {@code events.jsonl} (every unit's events in time order, each with
 * {@code unit} and {@code shard}) and {@code report.html} (the suite's page). {@code run} writes
 * them after its units, {@code merge} after joining shards, {@code report} again on demand: all
 * three the same way.
 *
 * <pre>
 * suite.json           the split and what ran where ({@link SuiteManifest})
 * report.html          the suite on one page
 * test-output.xml      &lt;testsuites&gt;: one &lt;testsuite&gt; per unit
 * events.jsonl         every unit's events, with "unit" and "shard"
 * NAME/                one scenario's run (a results directory as `run` makes it)
 * NAME/round-K/        ... or its round K, with --repeat
 * </pre>
 */
public final class SuiteResults {
    private SuiteResults() {}

    /** True when {@code dir} is a suite's results (it has a suite.json). */
    public static boolean isSuite(Path dir) {
        return Files.isRegularFile(dir.resolve(SuiteManifest.FILE));
    }

    /** Writes the three files of {@code dir} from its manifest and unit directories; returns the page. */
    public static Path write(Path dir) {
        SuiteManifest m = SuiteManifest.read(dir);
        SuiteReportData data = read(dir, m);
        List<JUnitXmlMerge.Part> parts = new ArrayList<>();
        for (UnitRun u : data.ran()) {
            Path xml = dir.resolve(u.id()).resolve("test-output.xml");
            if (Files.isRegularFile(xml)) parts.add(new JUnitXmlMerge.Part(u.id(), u.host(), xml));
        }
        JUnitXmlMerge.write(data.title(), parts, m.missing(), dir.resolve("test-output.xml"));
        writeEvents(dir, m);
        Path page = dir.resolve("report.html");
        Path tmp = dir.resolve(".report.html.tmp");
        try {
            Files.writeString(tmp, SuitePage.render(data), StandardCharsets.UTF_8);
            Files.move(tmp, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page, e);
        }
        return page;
    }

    /** What the page of {@code dir} shows (read from its suite.json and unit directories). */
    public static SuiteReportData read(Path dir) {
        return read(dir, SuiteManifest.read(dir));
    }

    /** What the page shows: every unit of the plan, with its run where its directory is here. */
    static SuiteReportData read(Path dir, SuiteManifest m) {
        Map<String, SuiteManifest.UnitRecord> here = new HashMap<>();
        m.units().forEach(u -> here.put(u.unit(), u));
        List<UnitRun> units = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        for (int i = 0; i < m.plan().size(); i++) {
            String id = m.plan().get(i);
            SuiteManifest.UnitRecord r = here.get(id);
            int shard = SuitePlan.shardOf(i, m.count());
            if (r == null) {
                String scenario = id.contains("/round-") ? id.substring(0, id.lastIndexOf("/round-")) : id;
                units.add(new UnitRun(id, scenario, roundOf(id), shard, "", "", null, null));
                if (!scenarios.contains(scenario)) scenarios.add(scenario);
                continue;
            }
            if (!scenarios.contains(r.scenario())) scenarios.add(r.scenario());
            units.add(new UnitRun(
                    id, r.scenario(), r.round(), r.shard(), r.host(), r.file(), r.seed(), runOf(dir.resolve(id))));
        }
        String title = (m.count() > 1
                                && m.shards().size() < m.count()
                                && m.missing().isEmpty()
                        ? "shard " + shardsText(m) + " of "
                        : "")
                + "suite: "
                + (scenarios.size() <= 6
                        ? String.join(", ", scenarios)
                        : String.join(", ", scenarios.subList(0, 5)) + " and " + (scenarios.size() - 5) + " more")
                + (m.repeat() > 1 ? " × " + m.repeat() + " rounds" : "")
                + (m.missing().isEmpty()
                        ? ""
                        : ", without shard"
                                + (m.missing().size() == 1 ? " " : "s ")
                                + String.join(
                                        ", ",
                                        m.missing().stream()
                                                .map(x -> x.shard() + "/" + x.count() + (x.partly() ? " in part" : ""))
                                                .toList()));
        return new SuiteReportData(title, m.count(), units, m.missing(), Instant.now());
    }

    private static String shardsText(SuiteManifest m) {
        return String.join(",", m.shards().stream().map(String::valueOf).toList()) + "/" + m.count();
    }

    private static int roundOf(String id) {
        int at = id.lastIndexOf("/round-");
        return at < 0 ? 1 : Integer.parseInt(id.substring(at + "/round-".length()));
    }

    /** A unit's tests as its events record them; null when the unit has no events here. */
    private static RunReport runOf(Path unitDir) {
        ResultsDirectory d = new ResultsDirectory(unitDir);
        if (!Files.isRegularFile(d.events())) return null;
        RunRecorder recorder = new RunRecorder(unitDir.getFileName().toString());
        EventsFile.read(d.events()).events().forEach(recorder);
        return recorder.report();
    }

    /** events.jsonl of the suite: each unit's events with its id and shard, merged in time order. */
    private static void writeEvents(Path dir, SuiteManifest m) {
        List<Event> all = new ArrayList<>();
        for (SuiteManifest.UnitRecord u : m.units()) {
            Path file = dir.resolve(u.unit()).resolve("events.jsonl");
            if (!Files.isRegularFile(file)) continue;
            for (Event e : EventsFile.read(file).events()) {
                Map<String, Object> fields = new LinkedHashMap<>(e.fields());
                fields.put("unit", u.unit());
                fields.put("shard", u.shard());
                all.add(new Event(e.time(), e.kind(), e.node(), fields));
            }
        }
        all.sort(Comparator.comparing(Event::time)); // stable: a unit's events keep their order at equal times
        Path target = dir.resolve("events.jsonl");
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + target, e);
        }
        try (JsonLinesEventSink sink = JsonLinesEventSink.open(target)) {
            all.forEach(sink::record);
        }
    }
}
