package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Waits until a service runs or a TCP port listens on each selected node.
 *
 * @param kind what to wait for
 * @param target the service name (from the image's service map) or the port number; may hold
 *     {@code ${var}}
 * @param on the nodes
 * @param timeout the deadline (nominal), or null for the step default
 */
public record WaitForStep(Location location, Kind kind, String target, NodeSelector on, Duration timeout, String label)
        implements Step {
    /** What is waited for. */
    public enum Kind {
        SERVICE,
        PORT
    }

    @Override
    public String describe() {
        return "wait for " + (kind == Kind.SERVICE ? "service " : "port ") + target + " on " + on;
    }
}
