package io.vmcluster.report.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.nodes.Document;

/** What every report page must show once a real browser ran it: no script errors, a lane per node. */
public final class ReportPageChecks {
    private ReportPageChecks() {}

    /**
     * Each chart of {@code ids} exists and the browser laid out every mark in it (the page's script
     * counts, per chart, its rects, paths and circles and those with an area: a mark whose geometry
     * the browser rejected has none).
     */
    public static void everyChartLaidOut(Document d, List<String> ids) {
        for (String id : ids) {
            org.jsoup.nodes.Element svg = d.getElementById(id);
            assertThat(svg).as("chart %s on the page", id).isNotNull();
            int shapes = Integer.parseInt(svg.attr("data-shapes"));
            assertThat(shapes).as("marks in chart %s", id).isPositive();
            assertThat(Integer.parseInt(svg.attr("data-laid-out")))
                    .as("marks of chart %s the browser laid out, of %d", id, shapes)
                    .isEqualTo(shapes);
        }
        assertThat(d.select("svg.chart line.cursor"))
                .as("the script gave every chart its cursor line")
                .hasSize(d.select("svg.chart").size());
    }

    /** The page ran its scripts without an error and drew a timeline lane for each of {@code nodes}. */
    public static void renderedWithoutErrors(HeadlessChromium.Rendered page, List<String> nodes) {
        Document d = page.dom();
        assertThat(page.jsErrors())
                .as(
                        "script errors the page recorded (last: %s)",
                        d.selectFirst("html").attr("data-js-error-last"))
                .isZero();
        assertThat(page.consoleErrors()).as("errors in the browser's console").isEmpty();
        assertThat(d.selectFirst("html").attr("data-report-ready"))
                .as("the page's script ran to its end")
                .isEqualTo("true");
        assertThat(d.select("svg#timeline-chart g.lane").eachAttr("data-node"))
                .as("a lane per node")
                .containsExactlyElementsOf(nodes);
        assertThat(d.select("svg#timeline-chart line.cursor"))
                .as("the script added its cursor line")
                .hasSize(1);
    }
}
