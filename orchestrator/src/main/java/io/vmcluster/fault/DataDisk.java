package io.vmcluster.fault;

import java.util.Objects;

/**
 * The node's data disk as faults see it.
 *
 * @param deviceId qdev id or QOM path of the virtio-blk device ({@code block_set_io_throttle} takes
 *     it; for virtio-blk-pci that is {@code /machine/peripheral/<id>/virtio-backend})
 * @param rawNode node name of the {@code raw} node the device is attached to
 * @param imageNode node name of the image (qcow2) node under it; disk errors are injected between
 *     the two by inserting a blkdebug node, above the image format so its metadata I/O is spared
 */
public record DataDisk(String deviceId, String rawNode, String imageNode) {
    public DataDisk {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(rawNode, "rawNode");
        Objects.requireNonNull(imageNode, "imageNode");
    }
}
