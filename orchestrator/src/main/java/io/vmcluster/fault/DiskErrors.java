package io.vmcluster.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which requests of a data disk fail with EIO while a disk-error fault is open: reads, writes or
 * both, on every sector or only on requests that touch one 512-byte sector (blkdebug's rule).
 *
 * @param reads fail reads
 * @param writes fail writes
 * @param sector only requests covering this sector fail; empty = every request
 */
public record DiskErrors(boolean reads, boolean writes, OptionalLong sector) {
    /** EIO, the only errno offered: QEMU stops the whole VM on ENOSPC by default ({@code werror=enospc}). */
    static final int EIO = 5;

    public DiskErrors {
        if (!reads && !writes) {
            throw new IllegalArgumentException("disk errors need reads, writes or both to fail");
        }
        sector.ifPresent(s -> {
            if (s < 0) {
                throw new IllegalArgumentException("sector must not be negative: " + s);
            }
        });
    }

    /** Every read and every write fails. */
    public static DiskErrors all() {
        return new DiskErrors(true, true, OptionalLong.empty());
    }

    /** Every read fails; writes succeed. */
    public static DiskErrors readsOnly() {
        return new DiskErrors(true, false, OptionalLong.empty());
    }

    /** Every write fails; reads succeed. */
    public static DiskErrors writesOnly() {
        return new DiskErrors(false, true, OptionalLong.empty());
    }

    /** The same, restricted to requests that touch 512-byte sector {@code sector}. */
    public DiskErrors atSector(long sector) {
        return new DiskErrors(reads, writes, OptionalLong.of(sector));
    }

    /** For the fault's events. */
    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("errno", EIO);
        p.put("reads", reads);
        p.put("writes", writes);
        sector.ifPresent(s -> p.put("sector", s));
        return p;
    }

    /**
     * blkdebug {@code inject-error} rules. A rule is armed by its event (the raw node above raises
     * {@code read_aio} before each read and {@code write_aio} before each write) and fails requests
     * of its I/O type until the next event re-arms the rule set; flushes are never failed, so
     * undoing the fault (a reopen, which flushes) always succeeds.
     */
    List<Map<String, Object>> blkdebugRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        if (reads) {
            rules.add(rule("read_aio", "read"));
        }
        if (writes) {
            rules.add(rule("write_aio", "write"));
        }
        return rules;
    }

    private Map<String, Object> rule(String event, String iotype) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("event", event);
        r.put("iotype", iotype);
        r.put("errno", EIO);
        sector.ifPresent(s -> r.put("sector", s));
        return r;
    }
}
