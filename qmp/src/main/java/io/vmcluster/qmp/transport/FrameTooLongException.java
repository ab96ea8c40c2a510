package io.vmcluster.qmp.transport;

import java.io.IOException;

/** A JSON object on the wire grew past the decoder's size cap; the stream cannot be trusted. */
public final class FrameTooLongException extends IOException {
    private final int maxFrameBytes;

    public FrameTooLongException(int maxFrameBytes) {
        super("a JSON object on the wire exceeds the cap of " + maxFrameBytes
                + " bytes (peer sent an oversized or unterminated object)");
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The cap that was exceeded. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }
}
