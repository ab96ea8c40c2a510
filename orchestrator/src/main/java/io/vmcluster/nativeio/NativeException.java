package io.vmcluster.nativeio;

/** A libc call failed; carries the call, its argument and errno with its text. */
public final class NativeException extends RuntimeException {
    private final int errno;

    public NativeException(String call, int errno, String errorText) {
        super(call + " failed: errno " + errno + " (" + errorText + ")");
        this.errno = errno;
    }

    /** The errno the call left. */
    public int errno() {
        return errno;
    }
}
