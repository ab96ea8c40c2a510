package io.vmcluster.scenario.run;

import io.vmcluster.fault.FaultKind;
import io.vmcluster.fault.FaultMethod;
import io.vmcluster.fault.Faults;
import io.vmcluster.scenario.step.LifecycleStep;
import java.util.Map;
import java.util.Set;

/**
 * The fault windows of the node lifecycle and service steps, which change VMs and services
 * directly rather than through the fault API: recorded with {@link Faults#windowStart} and {@link
 * Faults#windowEnd}, so {@code events.jsonl} has the same {@code fault.start}/{@code fault.end}
 * pair a fault has and checkers say "during crash node2".
 *
 * <ul>
 *   <li>pause: until resume (or until a crash, shutdown, restart or reset takes the VM over);
 *   <li>crash, shutdown: until start or restart has the node ready again;
 *   <li>restart of a running node, reset: from the step's start until the node is ready;
 *   <li>upgrade of a running node: from the step's start until the node is ready on the new image;
 *   <li>stop_service: until start_service; restart_service: from its stop until its start.
 * </ul>
 *
 * An action that throws opens no window it would open after it (the disruption may not have
 * happened; the step fails and says so) and ends none.
 */
final class StepWindows {
    /** Windows of a node that is down until it is started again. */
    private static final Set<FaultKind> DOWN = Set.of(FaultKind.CRASH, FaultKind.SHUTDOWN);

    private static final Set<FaultKind> TAKEN_OVER =
            Set.of(FaultKind.CRASH, FaultKind.SHUTDOWN, FaultKind.PAUSE, FaultKind.RESTART);

    private static final Set<FaultKind> UPGRADED =
            Set.of(FaultKind.CRASH, FaultKind.SHUTDOWN, FaultKind.PAUSE, FaultKind.RESTART, FaultKind.UPGRADE);

    private final Faults faults;

    StepWindows(Faults faults) {
        this.faults = faults;
    }

    /** Runs {@code action} (which waits until ready where the step does) and records its window. */
    void lifecycle(String node, LifecycleStep.Action action, Runnable run) {
        long t0 = System.nanoTime();
        switch (action) {
            case CRASH -> {
                run.run();
                faults.windowStart(FaultKind.CRASH, node, Map.of(), FaultMethod.KILL_QEMU, t0);
                faults.windowEnd(node, Set.of(FaultKind.PAUSE), null, t0);
            }
            case SHUTDOWN -> {
                run.run();
                faults.windowStart(FaultKind.SHUTDOWN, node, Map.of(), FaultMethod.QMP_POWERDOWN, t0);
                faults.windowEnd(node, Set.of(FaultKind.PAUSE), null, t0);
            }
            case PAUSE -> {
                run.run();
                faults.windowStart(FaultKind.PAUSE, node, Map.of(), FaultMethod.QMP_STOP, t0);
            }
            case RESUME -> {
                run.run();
                faults.windowEnd(node, Set.of(FaultKind.PAUSE), null, t0);
            }
            case RESTART -> {
                if (!faults.windowOpen(node, DOWN)) {
                    faults.windowStart(FaultKind.RESTART, node, Map.of(), null, t0);
                }
                run.run();
                faults.windowEnd(node, TAKEN_OVER, null, t0);
            }
            case RESET -> {
                faults.windowStart(FaultKind.RESET, node, Map.of(), null, t0);
                run.run();
                faults.windowEnd(node, Set.of(FaultKind.RESET, FaultKind.PAUSE), null, t0);
            }
            case START -> {
                run.run();
                faults.windowEnd(node, DOWN, null, t0);
            }
        }
    }

    /**
     * Runs an upgrade (stop, boot on {@code image}, until ready) in an {@code upgrade} window with
     * the image in its params; like a restart, a node already down keeps its crash or shutdown
     * window, and the upgrade ends it (and a pause) once the node is ready.
     */
    void upgrade(String node, String image, Runnable run) {
        long t0 = System.nanoTime();
        if (!faults.windowOpen(node, DOWN)) {
            faults.windowStart(FaultKind.UPGRADE, node, Map.of("image", image), FaultMethod.QMP_POWERDOWN, t0);
        }
        run.run();
        faults.windowEnd(node, UPGRADED, null, t0);
    }

    /** Runs a service action ({@code stop} and {@code start} do the two halves) and records its window. */
    void service(String node, String service, ClusterApi.ServiceAction action, Runnable stop, Runnable start) {
        Map<String, Object> params = Map.of("service", service);
        long t0 = System.nanoTime();
        switch (action) {
            case START -> {
                start.run();
                faults.windowEnd(node, Set.of(FaultKind.STOP_SERVICE), params, t0);
            }
            case STOP -> {
                stop.run();
                faults.windowStart(FaultKind.STOP_SERVICE, node, params, FaultMethod.SERVICE_MAP, t0);
            }
            case RESTART -> {
                stop.run();
                faults.windowStart(FaultKind.STOP_SERVICE, node, params, FaultMethod.SERVICE_MAP, t0);
                long t1 = System.nanoTime();
                start.run();
                faults.windowEnd(node, Set.of(FaultKind.STOP_SERVICE), params, t1);
            }
        }
    }
}
