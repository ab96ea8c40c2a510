package io.vmcluster.report.html;

/** The time axis every chart draws the same way: grid lines, tick labels, the attributes the page's script reads. */
final class ChartAxis {
    /** Ticks at least this far apart. */
    private static final double TICK_PX = 70;

    private ChartAxis() {}

    /** {@code data-x0}, {@code data-w}, {@code data-span-ms}: how the script maps a mouse x to run time. */
    static String dataAttributes(TimeScale s) {
        return "data-x0=\"" + Svg.num(s.x0()) + "\" data-w=\"" + Svg.num(s.width()) + "\" data-span-ms=\""
                + s.span().toMillis() + "\"";
    }

    static void grid(Svg svg, TimeScale s, double top, double bottom) {
        for (long t : s.ticks(TICK_PX)) {
            double x = s.x(t);
            svg.line(x, top, x, bottom, "class=\"grid\"", null);
        }
    }

    static void labels(Svg svg, TimeScale s, double y) {
        for (long t : s.ticks(TICK_PX)) {
            svg.text(s.x(t), y, s.label(t), "class=\"tick\" text-anchor=\"middle\"");
        }
    }
}
