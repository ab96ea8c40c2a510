package io.vmcluster.nemesis;

import java.util.List;
import java.util.Objects;

/**
 * The nodes of a scheduled fault: names drawn before the run, or a probe asked when the fault
 * starts. {@link ScheduleRunner} resolves it to names, the form {@link
 * io.vmcluster.fault.Faults#apply} takes.
 */
public sealed interface ScheduledNodes {
    /** These nodes. */
    record Names(List<String> names) implements ScheduledNodes {
        public Names {
            names = List.copyOf(names);
        }

        @Override
        public String toString() {
            return String.join(", ", names);
        }
    }

    /** The node the probe names when the fault starts. */
    record Probe(String name) implements ScheduledNodes {
        public Probe {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "${" + name + "}";
        }
    }

    static ScheduledNodes names(String... names) {
        return new Names(List.of(names));
    }
}
