package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.nio.file.Path;

/**
 * Copies a file between the host and each selected node (binary-safe, through the command
 * channel), like the Java API's {@code Node.copyIn} / {@code copyOut}.
 *
 * @param direction into the guests, or out of them
 * @param host for {@link Direction#IN} the host file (resolved from the scenario's directory); for
 *     {@link Direction#OUT} the file name under each node's directory in the results ({@code
 *     <results>/<node>/<host>})
 * @param guest the absolute path in the guest; may contain {@code ${var}}
 * @param on the nodes
 */
public record CopyStep(Location location, Direction direction, Path host, String guest, NodeSelector on, String label)
        implements Step {
    /** Which way the file goes. */
    public enum Direction {
        IN,
        OUT
    }

    @Override
    public String describe() {
        return direction == Direction.IN
                ? "copy_in on " + on + ": " + host + " to " + guest
                : "copy_out on " + on + ": " + guest + " to <results>/<node>/" + host;
    }
}
