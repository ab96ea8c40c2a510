package io.vmcluster.checker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.events.Event;
import io.vmcluster.events.EventKind;
import io.vmcluster.events.EventsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The faults of a run as windows on a history's clock, read from {@code events.jsonl}: time 0 is
 * the {@link EventKind#WORKLOAD_START} event that names the history; a window runs from its {@code
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
     * Reads the windows for {@code history} from a run's events ({@link EventsFile}: lines that are
     * not events, like the half line a killed run leaves, are skipped).
     *
     * @param events the run's {@code events.jsonl}
     * @param history the history file's name as the {@code workload.start} event gives it (relative to
     *     the results directory); null takes the first workload.start
     */
    public static FaultWindows read(Path events, String history) {
        if (!Files.isRegularFile(events)) {
            return new FaultWindows(List.of(), "no " + events + " to read fault windows from");
        }
        return fromEvents(EventsFile.read(events).events(), history, events.toString());
    }

    /** The windows from a run's events (see {@link #read}). */
    public static FaultWindows fromEvents(List<Event> events, String history, String source) {
        Optional<Instant> origin = events.stream()
                .filter(e -> e.is(EventKind.WORKLOAD_START))
                .filter(e -> history == null || history.equals(text(e, "history")))
                .map(Event::time)
                .findFirst();
        if (origin.isEmpty()) {
            return new FaultWindows(
                    List.of(),
                    source + " has no " + EventKind.WORKLOAD_START.wireName() + " event"
                            + (history == null ? "" : " for " + history) + ", so faults cannot be placed on the"
                            + " history's clock");
        }
        Map<String, FaultWindow> open = new LinkedHashMap<>();
        List<FaultWindow> done = new ArrayList<>();
        for (Event e : events) {
            String id = text(e, "fault");
            if (!e.kind().startsWith("fault.") || id == null) {
                continue;
            }
            long at = Duration.between(origin.get(), e.time()).toNanos();
            switch (e.type()) {
                case FAULT_START -> open.put(id, window(e, id, at - applied(e), Long.MAX_VALUE));
                case FAULT_END -> {
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
                case FAULT_INSTANT -> done.add(window(e, id, at - applied(e), at));
                default -> {}
            }
        }
        done.addAll(open.values());
        return of(done);
    }

    private static long applied(Event e) {
        return e.fields().get("applyMs") instanceof Number n ? Math.round(n.doubleValue() * 1e6) : 0;
    }

    private static String text(Event e, String field) {
        Object v = e.fields().get(field);
        return v == null ? null : v.toString();
    }

    private static FaultWindow window(Event e, String id, long start, long end) {
        String kind = text(e, "faultKind");
        JsonNode params =
                e.fields().containsKey("params") ? JSON.valueToTree(e.fields().get("params")) : null;
        return new FaultWindow(id, kind == null ? "fault" : kind, text(e, "target"), e.node(), params, start, end);
    }
}
