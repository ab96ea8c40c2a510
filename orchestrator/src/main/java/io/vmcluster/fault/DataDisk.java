package io.vmcluster.fault;

import java.util.Objects;

/**
 * The node's data disk as faults see it.
 *
 * @param deviceId qdev id of the virtio-blk device ({@code block_set_io_throttle} takes it)
 * @param formatNode node name of the format node the device is attached to
 * @param formatDriver its driver ({@code raw} or {@code qcow2}); {@code blockdev-reopen} needs it
 * @param fileNode node name of the protocol node under it (the file); disk errors are injected
 *     between the two by inserting a blkdebug node
 */
public record DataDisk(String deviceId, String formatNode, String formatDriver, String fileNode) {
    public DataDisk {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(formatNode, "formatNode");
        Objects.requireNonNull(formatDriver, "formatDriver");
        Objects.requireNonNull(fileNode, "fileNode");
    }
}
