package io.vmcluster.qemu;

/** The accelerator that was asked for explicitly cannot be used on this host; the message says why and what to use. */
public final class AcceleratorUnavailableException extends RuntimeException {
    public AcceleratorUnavailableException(String message) {
        super(message);
    }
}
