package io.vmcluster.warm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Objects;

/**
 * An entry's {@code manifest.json}: what it holds and what it was made from. Written last, so an
 * entry with a manifest is complete.
 *
 * @param format the layout version ({@link #FORMAT}); an entry of another is not used
 * @param id the key's id (the directory's name)
 * @param material the key's material (why this entry and not another: diff two manifests)
 * @param cluster the cluster's name
 * @param snapshot the scenario's snapshot the entry is the state of
 * @param nodes the node names, one directory each
 * @param created when it was written (ISO-8601, UTC)
 * @param bytes the size of its files
 * @param accelerator KVM or TCG: the state loads only under the accelerator it was saved under
 * @param kvmFallback why KVM failed on this host when the state was saved under TCG by a run that
 *     asked for {@code auto}; null otherwise (a later {@code auto} run uses a TCG entry only then)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WarmManifest(
        int format,
        String id,
        String material,
        String cluster,
        String snapshot,
        List<String> nodes,
        String created,
        long bytes,
        String accelerator,
        String kvmFallback) {
    /** The layout this code writes and reads: per node {@code vmstate} and {@code disk.qcow2}. */
    public static final int FORMAT = 1;

    public WarmManifest {
        Objects.requireNonNull(id, "id");
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
