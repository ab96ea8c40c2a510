package io.vmcluster.report;

/**
 * Makes arbitrary text (guest output: escape sequences, NULs, broken UTF-16) safe for XML 1.0.
 * Characters XML 1.0 cannot carry at all, not even as references, are written as a visible
 * {@code \\uXXXX} (or {@code \\e} for ESC) so the reader still sees that they were there.
 */
public final class XmlText {
    private XmlText() {}

    /** The text with every character XML 1.0 forbids replaced by a visible escape. */
    public static String legal(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean ok;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                ok = true;
                width = 2;
            } else {
                ok = isLegal(c);
            }
            if (ok) {
                if (b != null) {
                    b.append(text, i, i + width);
                }
            } else {
                if (b == null) {
                    b = new StringBuilder(n + 16).append(text, 0, i);
                }
                b.append(c == 0x1b ? "\\e" : String.format("\\u%04x", (int) c));
            }
            i += width - 1;
        }
        return b == null ? text : b.toString();
    }

    private static boolean isLegal(char c) {
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
