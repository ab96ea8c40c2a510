package io.vmcluster.scenario.step;

import io.vmcluster.workload.WorkloadSpec;
import io.vmcluster.yaml.Location;
import java.util.List;
import java.util.Objects;

/**
 * Starts a workload in the background and goes on at once, so that later (or parallel) steps apply
 * faults while it runs; {@link WorkloadEndStep} waits for it, runs the final reads and the checkers.
 *
 * @param spec the workload; its operations' node picks are placeholders, {@code targets} decide
 * @param targets per operation of the mix (same order): where it goes
 * @param probeNodes per probe of the spec (same order): which nodes are sampled
 * @param checkers checker specs ({@code set}, {@code time-to-leader:slo=10s}) whose verdict is the step's
 */
public record WorkloadStep(
        Location location,
        WorkloadSpec spec,
        List<Target> targets,
        List<NodeSelector> probeNodes,
        List<String> checkers,
        String label)
        implements Step {
    public WorkloadStep {
        Objects.requireNonNull(spec, "spec");
        targets = List.copyOf(targets);
        probeNodes = List.copyOf(probeNodes);
        checkers = List.copyOf(checkers);
        if (targets.size() != spec.mix().size()
                || probeNodes.size() != spec.probes().size()) {
            throw new IllegalArgumentException("one target per operation and one node selector per probe");
        }
    }

    /**
     * Where one operation of the mix goes.
     *
     * @param on the candidate nodes (may name variables, resolved per operation)
     * @param random pick uniformly at random from the seed instead of round-robin
     */
    public record Target(NodeSelector on, boolean random) {
        public Target {
            Objects.requireNonNull(on, "on");
        }
    }

    public String name() {
        return spec.name();
    }

    @Override
    public String describe() {
        StringBuilder s =
                new StringBuilder("start workload ").append(spec.name()).append(": ");
        String probes =
                String.join("/", spec.probes().stream().map(p -> p.f().name()).toList());
        if (spec.mix().isEmpty()) s.append("probes ").append(probes);
        else s.append(spec.clients()).append(spec.clients() == 1 ? " client" : " clients");
        if (spec.duration() != null) s.append(" for ").append(io.vmcluster.time.Durations.format(spec.duration()));
        if (spec.ops() != null)
            s.append(spec.duration() == null ? " for " : " or ")
                    .append(spec.ops())
                    .append(" ops");
        if (!spec.mix().isEmpty())
            s.append(", ")
                    .append(String.join(
                            "/", spec.mix().stream().map(o -> o.f().name()).toList()));
        if (!spec.mix().isEmpty() && !spec.probes().isEmpty())
            s.append(", probes ").append(probes);
        if (!checkers.isEmpty()) s.append(", checked by ").append(String.join(", ", checkers));
        return s.toString();
    }
}
