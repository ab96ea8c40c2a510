package io.vmcluster.qmp;

/**
 * Limits for {@code block_set_io_throttle}; 0 means unlimited. Total and read/write limits of the
 * same unit are exclusive in QEMU: set either the total or the read/write pair (checked here, so
 * the mistake is named before QEMU refuses it). The one disk-throttle type: the slow-disk fault
 * takes it as is.
 *
 * @param bps bytes per second, total
 * @param bpsRead bytes per second, reads
 * @param bpsWrite bytes per second, writes
 * @param iops operations per second, total
 * @param iopsRead operations per second, reads
 * @param iopsWrite operations per second, writes
 * @param bpsMax burst bytes per second, total (0: no burst)
 * @param iopsMax burst operations per second, total (0: no burst)
 */
public record IoThrottle(
        long bps, long bpsRead, long bpsWrite, long iops, long iopsRead, long iopsWrite, long bpsMax, long iopsMax) {
    /** No limits: switches throttling off. */
    public static final IoThrottle UNLIMITED = new IoThrottle(0, 0, 0, 0, 0, 0, 0, 0);

    public IoThrottle {
        for (long value : new long[] {bps, bpsRead, bpsWrite, iops, iopsRead, iopsWrite, bpsMax, iopsMax}) {
            if (value < 0) {
                throw new IllegalArgumentException("throttle limits must be >= 0: " + value);
            }
        }
        if (bps > 0 && (bpsRead > 0 || bpsWrite > 0)) {
            throw new IllegalArgumentException("a total bytes/s limit excludes read/write bytes/s limits (QEMU rule)");
        }
        if (iops > 0 && (iopsRead > 0 || iopsWrite > 0)) {
            throw new IllegalArgumentException("a total IOPS limit excludes read/write IOPS limits (QEMU rule)");
        }
    }

    /** A total bandwidth limit only. */
    public static IoThrottle bytesPerSecond(long bps) {
        return new IoThrottle(bps, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A total operations limit only. */
    public static IoThrottle operationsPerSecond(long iops) {
        return new IoThrottle(0, 0, 0, iops, 0, 0, 0, 0);
    }
}
