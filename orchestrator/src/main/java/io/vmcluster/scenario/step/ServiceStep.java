package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Starts, stops or restarts a service by name through the image's service map
 * ({@code vmc-svc start|stop NAME} in the test image), or kills a process hard.
 *
 * @param action what to do
 * @param service service (or, for {@code kill_process}, process) name; may hold {@code ${var}}
 * @param on the nodes
 */
public record ServiceStep(
        Location location, Action action, String service, NodeSelector on, Duration timeout, String label)
        implements Step {
    /** What is done to the service. */
    public enum Action {
        START_SERVICE,
        STOP_SERVICE,
        RESTART_SERVICE,
        KILL_PROCESS
    }

    @Override
    public String describe() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + service + " on " + on;
    }
}
