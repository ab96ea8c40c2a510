package io.vmcluster.reaper;

import io.vmcluster.process.ProcessIdentity;
import java.util.List;
import java.util.Optional;

/**
 * What the reaper removed for one dead run.
 *
 * @param runId the dead run
 * @param owner the JVM that owned it, if its owner file was readable
 * @param killedChildren recorded children that were still alive and got SIGKILL
 * @param deletedNamespaces namespaces that still existed and were deleted
 */
public record ReclaimedRun(
        RunId runId,
        Optional<ProcessIdentity> owner,
        List<ProcessIdentity> killedChildren,
        List<String> deletedNamespaces) {
    public ReclaimedRun {
        killedChildren = List.copyOf(killedChildren);
        deletedNamespaces = List.copyOf(deletedNamespaces);
    }
}
