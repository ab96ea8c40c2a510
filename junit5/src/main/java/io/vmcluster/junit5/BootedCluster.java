package io.vmcluster.junit5;

import java.util.List;
import java.util.Map;

/** A running cluster as the extension sees it: what it injects, what it undoes, what it attaches. */
interface BootedCluster extends AutoCloseable {
    /** Values injected by their type (the cluster, its fault API). */
    List<Object> byType();

    /** Values injected by the parameter's name (the nodes), in node order. */
    Map<String, Object> byName();

    /** Undoes what one test left in effect (open faults); called after every test. */
    void afterTest();

    /** Saves every node as one consistent cut named {@code name} (a name taken again is replaced). */
    void snapshot(String name);

    /** Brings every node back to snapshot {@code name}; faults are undone already. */
    void restore(String name);

    /** The last lines of every node's logs as they stand now, for the failure of {@code test}. */
    String logTails(String test);

    /** Stops every VM and removes what the cluster made on the host. Idempotent. */
    @Override
    void close();
}
