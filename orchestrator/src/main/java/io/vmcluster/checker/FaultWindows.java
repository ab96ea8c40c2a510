package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.events.JsonLinesEventSink;
import io.vmcluster.history.HistoryFormatException;
import io.vmcluster.report.RunEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The faults of a run as windows on a history's clock, read from {@code events.jsonl}: time 0 is
 * the {@value RunEvents#WORKLOAD_START} event that names the history; a window runs from its {@code
 * fault.start} time minus {@code applyMs} to its {@code fault.end} time; a fault never ended is open
 * to the end; a {@code fault.instant} is a point; a {@code fault.error} (never applied) is no window.
 */
public final class FaultWindows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FaultWindows NONE = new FaultWindows(List.of(), "no fault windows were given");

    private final List<FaultWindow> windows;
    private final String note;

    private FaultWindows(List<FaultWindow> windows, String note) {
        this.windows = List.copyOf(windows);
        this.note = note;
    }

    /** No faults (or none known). */
    public static FaultWindows none() {
        return NONE;
    }

    public static FaultWindows of(List<FaultWindow> windows) {
        List<FaultWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparingLong(FaultWindow::start));
        return new FaultWindows(sorted, null);
    }

    /** Every window, by start time. */
    public List<FaultWindow> all() {
        return windows;
    }

    /** Why there are no windows when there are none (no events file, no workload.start), or null. */
    public String note() {
        return note;
    }

    /** The windows that may have been in effect at {@code time}. */
    public List<FaultWindow> at(long time) {
        return windows.stream().filter(w -> w.covers(time)).toList();
    }

    /**
     * {@code ", during partition [node1] | [node2, node3]"}, {@code ", with no fault active"}, or
     * empty when no fault windows are known: the tail of a sentence about {@code time}.
     */
    public String during(long time) {
        if (windows.isEmpty()) {
            return "";
        }
        List<FaultWindow> active = at(time);
        if (active.isEmpty()) {
            return ", with no fault active";
        }
        return ", during " + active.stream().map(FaultWindow::describe).collect(Collectors.joining(" and "));
    }

    /**
     * Reads the windows for {@code history} from a run's events.
     *
     * @param events the run's {@code events.jsonl}
     * @param history the history file's name as the {@code workload.start} event gives it (relative to
     *     the results directory); null takes the first workload.start
     * @throws HistoryFormatException for an events line that is not JSON
     */
    public static FaultWindows read(Path events, String history) {
        if (!Files.isRegularFile(events)) {
            return new FaultWindows(List.of(), "no " + events + " to read fault windows from");
        }
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    if (r.ready()) {
                        throw new HistoryFormatException(events.toString(), number, "not JSON");
                    } // else an incomplete last line of a killed run
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + events + ": " + e.getMessage(), e);
        }
        return fromEvents(lines, history, events.toString());
    }

    /** The windows from parsed event lines (see {@link #read}). */
    static FaultWindows fromEvents(List<JsonNode> lines, String history, String source) {
        Optional<Instant> origin = lines.stream()
                .filter(l -> RunEvents.WORKLOAD_START.equals(text(l, "kind")))
                .filter(l -> history == null || history.equals(text(l, "history")))
                .map(l -> instant(l))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .findFirst();
        if (origin.isEmpty()) {
            return new FaultWindows(
                    List.of(),
                    source + " has no " + RunEvents.WORKLOAD_START + " event"
                            + (history == null ? "" : " for " + history) + ", so faults cannot be placed on the"
                            + " history's clock");
        }
        Map<String, FaultWindow> open = new LinkedHashMap<>();
        List<FaultWindow> done = new ArrayList<>();
        for (JsonNode l : lines) {
            String kind = text(l, "kind");
            if (kind == null || !kind.startsWith("fault.")) {
                continue;
            }
            Optional<Instant> t = instant(l);
            String id = text(l, "fault");
            if (t.isEmpty() || id == null) {
                continue;
            }
            long at = Duration.between(origin.get(), t.get()).toNanos();
            String faultKind = text(l, JsonLinesEventSink.fieldName(kind, "kind"));
            switch (kind) {
                case RunEvents.FAULT_START -> {
                    long applied = Math.round(number(l, "applyMs") * 1e6);
                    open.put(id, window(l, id, faultKind, at - applied, Long.MAX_VALUE));
                }
                case RunEvents.FAULT_END -> {
                    FaultWindow w = open.remove(id);
                    if (w != null) {
                        done.add(new FaultWindow(
                                w.id(),
                                w.kind(),
                                w.target(),
                                w.node(),
                                w.params(),
                                w.start(),
                                Math.max(at, w.start())));
                    }
                }
                case RunEvents.FAULT_INSTANT -> {
                    long applied = Math.round(number(l, "applyMs") * 1e6);
                    done.add(window(l, id, faultKind, at - applied, at));
                }
                default -> {}
            }
        }
        done.addAll(open.values());
        return of(done);
    }

    private static FaultWindow window(JsonNode l, String id, String kind, long start, long end) {
        return new FaultWindow(
                id, kind == null ? "fault" : kind, text(l, "target"), text(l, "node"), l.get("params"), start, end);
    }

    private static Optional<Instant> instant(JsonNode l) {
        String t = text(l, "time");
        try {
            return t == null ? Optional.empty() : Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode l, String field) {
        JsonNode v = l.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double number(JsonNode l, String field) {
        JsonNode v = l.get(field);
        return v != null && v.isNumber() ? v.doubleValue() : 0;
    }
}
