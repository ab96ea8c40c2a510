package io.vmcluster.report.html;

import java.util.Locale;

/**
 * Writes SVG markup into the page. Coordinates are printed with one decimal (the page's size
 * depends on it); text and titles are escaped. Each element may carry a {@code <title>}, which
 * browsers show on hover.
 */
final class Svg {
    private final StringBuilder out;

    Svg(StringBuilder out) {
        this.out = out;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    Svg open(String tag, String attrs) {
        out.append('<').append(tag);
        if (!attrs.isEmpty()) out.append(' ').append(attrs);
        out.append('>');
        return this;
    }

    Svg close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** A rectangle; {@code extra} is raw attributes (class, id, data-*), {@code title} may be null. */
    Svg rect(double x, double y, double w, double h, String extra, String title) {
        out.append("<rect x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(Math.max(w, 0)))
                .append("\" height=\"")
                .append(num(h))
                .append('"');
        return finish("rect", extra, title);
    }

    Svg line(double x1, double y1, double x2, double y2, String extra, String title) {
        out.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append('"');
        return finish("line", extra, title);
    }

    Svg circle(double cx, double cy, double r, String extra, String title) {
        out.append("<circle cx=\"")
                .append(num(cx))
                .append("\" cy=\"")
                .append(num(cy))
                .append("\" r=\"")
                .append(num(r))
                .append('"');
        return finish("circle", extra, title);
    }

    /** A path with data {@code d} (already made of numbers and commands). */
    Svg path(String d, String extra, String title) {
        out.append("<path d=\"").append(d).append('"');
        return finish("path", extra, title);
    }

    /** Text at (x, y); {@code extra} may set class and text-anchor. */
    Svg text(double x, double y, String text, String extra) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        if (!extra.isEmpty()) out.append(' ').append(extra);
        out.append('>').append(Html.esc(text)).append("</text>");
        return this;
    }

    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    private Svg finish(String tag, String extra, String title) {
        if (!extra.isEmpty()) out.append(' ').append(extra);
        if (title == null) {
            out.append("/>");
        } else {
            out.append("><title>")
                    .append(Html.esc(title))
                    .append("</title></")
                    .append(tag)
                    .append('>');
        }
        return this;
    }
}
