package io.vmcluster.cluster;

import io.vmcluster.warm.WarmCache;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster that may start warm: from the cache entry of a formed cluster made from exactly the
 * same inputs, instead of booting; and, when it boots, whose snapshot {@code snapshot} is also
 * written to the cache (the same cut), for the next run. See docs/snapshots.md, "Warm start across
 * runs". The key is made by the cluster from its QEMU, accelerator, command lines, images and
 * definition, followed by {@code material}.
 *
 * @param cache where entries live ({@link WarmCache#standard()})
 * @param snapshot the snapshot whose cut is cached
 * @param material what else the formed cluster depends on, in order, as named parts of the key
 *     (a scenario: its file's text up to the snapshot step)
 * @param use whether to start from an entry when there is one (false: boot anyway, as {@code
 *     run --cold}; the cut is still written when the cache has none)
 */
public record WarmStart(WarmCache cache, SnapshotName snapshot, Map<String, String> material, boolean use) {
    public WarmStart {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(snapshot, "snapshot");
        material = Collections.unmodifiableMap(new LinkedHashMap<>(material));
    }

    /** Boots anyway (the cut is still written when the cache has none). */
    public WarmStart cold() {
        return new WarmStart(cache, snapshot, material, false);
    }
}
