package io.vmcluster.fault;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Throttling limits of a disk, as QMP {@code block_set_io_throttle} takes them; zero means no
 * limit. A total limit and a read or write limit of the same unit cannot be combined.
 */
public record DiskLimits(long bps, long bpsRead, long bpsWrite, long iops, long iopsRead, long iopsWrite) {
    public DiskLimits {
        for (long v : new long[] {bps, bpsRead, bpsWrite, iops, iopsRead, iopsWrite}) {
            if (v < 0) {
                throw new IllegalArgumentException("disk limits must not be negative: " + this);
            }
        }
        if (bps > 0 && (bpsRead > 0 || bpsWrite > 0)) {
            throw new IllegalArgumentException("a total bytes/s limit excludes read/write bytes/s limits (QEMU rule)");
        }
        if (iops > 0 && (iopsRead > 0 || iopsWrite > 0)) {
            throw new IllegalArgumentException("a total IOPS limit excludes read/write IOPS limits (QEMU rule)");
        }
    }

    /** Total bandwidth, bytes per second. */
    public static DiskLimits bytesPerSecond(long bps) {
        return new DiskLimits(bps, 0, 0, 0, 0, 0);
    }

    /** Total operations per second. */
    public static DiskLimits iops(long iops) {
        return new DiskLimits(0, 0, 0, iops, 0, 0);
    }

    public static DiskLimits unlimited() {
        return new DiskLimits(0, 0, 0, 0, 0, 0);
    }

    /** The arguments of {@code block_set_io_throttle} for device {@code id}. */
    Map<String, Object> qmpArguments(String id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("bps", bps);
        a.put("bps_rd", bpsRead);
        a.put("bps_wr", bpsWrite);
        a.put("iops", iops);
        a.put("iops_rd", iopsRead);
        a.put("iops_wr", iopsWrite);
        return a;
    }
}
