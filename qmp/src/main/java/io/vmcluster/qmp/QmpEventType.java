package io.vmcluster.qmp;

import java.util.Optional;

/**
 * The QMP events vmcluster reacts to or waits for, by their wire names (QEMU 7.2's QAPI schema).
 * Every other event still arrives as a {@link QmpEvent}; its {@link QmpEvent#type()} is empty.
 */
public enum QmpEventType {
    /** The vCPUs stopped: {@code stop}, an I/O error with {@code werror=stop}, a debug exception. */
    STOP,
    /** The vCPUs run again ({@code cont}). */
    RESUME,
    /** The machine was reset; {@code data.reason} says why (e.g. {@code host-qmp-system-reset}, {@code guest-reset}). */
    RESET,
    /** The guest was asked to power down (ACPI power button, {@code system_powerdown}). */
    POWERDOWN,
    /** The machine is shutting down; {@code data.reason} says why (e.g. {@code guest-shutdown}, {@code host-qmp-quit}). */
    SHUTDOWN,
    /** A device was unplugged after {@code device_del}; {@code data.device} is its id. */
    DEVICE_DELETED,
    /** A disk I/O error the guest saw; {@code data.device}, {@code data.operation}, {@code data.action}. */
    BLOCK_IO_ERROR,
    /** A background job (snapshot-save, blockdev jobs) changed state; {@code data.id}, {@code data.status}. */
    JOB_STATUS_CHANGE;

    /** The event's name on the wire, e.g. {@code DEVICE_DELETED}. */
    public String wireName() {
        return name();
    }

    /** The type named {@code wireName}, if it is one of these. */
    public static Optional<QmpEventType> of(String wireName) {
        for (QmpEventType t : values()) {
            if (t.wireName().equals(wireName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
