package io.vmcluster.command;

import java.nio.charset.StandardCharsets;

/** Turns captured output into short, printable evidence for messages. */
public final class Evidence {
    static final int TAIL_BYTES = 2000;

    private Evidence() {}

    /** The last {@link #TAIL_BYTES} bytes as text, with a note when cut; "(empty)" when empty. */
    public static String tail(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "(empty)";
        }
        int from = Math.max(0, bytes.length - TAIL_BYTES);
        String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        text = stripTrailingNewlines(text).replace("\n", "\n    ");
        return from == 0 ? text : "[... " + from + " bytes cut ...] " + text;
    }

    static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
