package io.vmcluster.command;

import java.nio.charset.StandardCharsets;

/** Turns captured output into short, printable evidence for messages. */
public final class Evidence {
    static final int TAIL_BYTES = 2000;
    static final int QUOTED_CHARS = 400;

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

    /**
     * The first {@link #QUOTED_CHARS} characters as a Java string literal ({@code "node1\n"}),
     * and, when cut, the whole length in bytes.
     */
    public static String quoted(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String shown = text.length() <= QUOTED_CHARS ? text : text.substring(0, QUOTED_CHARS);
        StringBuilder b = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", c));
                    else b.appendCodePoint(c);
                }
            }
        });
        b.append('"');
        if (shown.length() < text.length()) {
            b.append("... (").append(bytes.length).append(" bytes)");
        }
        return b.toString();
    }

    static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
