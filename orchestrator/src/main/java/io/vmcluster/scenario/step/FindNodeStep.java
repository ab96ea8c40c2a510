package io.vmcluster.scenario.step;

import io.vmcluster.yaml.Location;
import java.time.Duration;

/**
 * Finds the node for which a command answers what {@code where} says, and stores its name in a
 * variable: the Raft leader lookup. Tried again until exactly one node matches (or, with
 * {@code unique: false}, at least one: the first in order is taken), within the deadline, so an
 * election in progress is waited out.
 *
 * @param command the command run on every candidate node
 * @param on the candidates (default all)
 * @param where the checks a matching node's result passes
 * @param capture the variable receiving the node's name
 * @param unique whether exactly one node must match
 * @param timeout the deadline (nominal), or null for the step default
 */
public record FindNodeStep(
        Location location,
        String command,
        NodeSelector on,
        Checks where,
        String capture,
        boolean unique,
        Duration timeout,
        String label)
        implements Step {
    @Override
    public String describe() {
        return "find the node among " + on + " where `" + command + "` gives " + where + " -> ${" + capture + "}";
    }
}
