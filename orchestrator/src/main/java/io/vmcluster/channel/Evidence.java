package io.vmcluster.channel;

import java.nio.charset.StandardCharsets;

/** Turns captured output into short, printable evidence for messages. */
final class Evidence {
    static final int TAIL_BYTES = 2000;

    private Evidence() {}

    /** The last {@link #TAIL_BYTES} bytes as text, with a note when cut; "(empty)" when empty. */
    static String tail(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "(empty)";
        }
        int from = Math.max(0, bytes.length - TAIL_BYTES);
        String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        text = CommandResult.stripTrailingNewlines(text).replace("\n", "\n    ");
        return from == 0 ? text : "[... " + from + " bytes cut ...] " + text;
    }
}
