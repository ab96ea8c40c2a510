package io.vmcluster.report.html;

import io.vmcluster.report.XmlText;

/** Escaping for text and attribute values in the report page (and the SVG inside it). */
final class Html {
    private Html() {}

    /**
     * The text made safe for an HTML text node or a quoted attribute value: markup characters
     * escaped, characters no document may hold made visible ({@link XmlText#legal}).
     */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        String legal = XmlText.legal(text);
        StringBuilder b = null;
        for (int i = 0; i < legal.length(); i++) {
            char c = legal.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null) {
                if (b == null) b = new StringBuilder(legal.length() + 16).append(legal, 0, i);
                b.append(r);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? legal : b.toString();
    }

    /** A relative link target for a file in the results directory: each path segment percent-encoded. */
    static String href(String relativePath) {
        StringBuilder b = new StringBuilder();
        for (String segment : relativePath.split("/", -1)) {
            if (b.length() > 0) b.append('/');
            b.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return b.toString();
    }
}
