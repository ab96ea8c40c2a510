package io.vmcluster.report.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.nodes.Document;

/** What every report page must show once a real browser ran it: no script errors, a lane per node. */
public final class ReportPageChecks {
    private ReportPageChecks() {}

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
