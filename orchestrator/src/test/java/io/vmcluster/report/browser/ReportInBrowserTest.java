package io.vmcluster.report.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.SampleRun;
import io.vmcluster.report.SampleWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report page in a real browser (headless chromium): its scripts run without error, and the
 * lanes, fault bands and verdict are in the DOM the browser built. The screenshot goes to
 * {@code target/report-screenshots/} for a person to look at.
 */
@EnabledIf(
        value = "io.vmcluster.report.browser.HeadlessChromium#available",
        disabledReason = "needs chromium on the PATH (scripts/test installs Debian's chromium)")
class ReportInBrowserTest {
    @TempDir
    Path dir;

    @Test
    void theSampleRunRendersWithItsLanesBandsAndVerdict() throws Exception {
        Path page = HtmlReport.write(SampleRun.writeTo(dir));
        HeadlessChromium.Rendered r = HeadlessChromium.dom(page);
        ReportPageChecks.renderedWithoutErrors(r, List.of("node1", "node2", "node3"));
        Document d = r.dom();
        assertThat(d.select("rect.fault-band").eachAttr("data-fault")).containsExactly("f1");
        assertThat(d.selectFirst("#verdict").text()).isEqualTo("FAILED");
        Path png =
                Files.createDirectories(Path.of("target", "report-screenshots")).resolve("sample.png");
        HeadlessChromium.screenshot(page, png, 1300, 900);
        assertThat(Files.size(png)).as("a screenshot with something on it").isGreaterThan(20_000);
    }

    @Test
    void aRunWithAWorkloadRendersItsOperationsPlotsAndVerdicts() throws Exception {
        Path page = HtmlReport.write(SampleWorkload.writeTo(dir, 600, 4));
        HeadlessChromium.Rendered r = HeadlessChromium.dom(page);
        ReportPageChecks.renderedWithoutErrors(r, List.of("node1", "node2", "node3"));
        Document d = r.dom();
        ReportPageChecks.everyChartLaidOut(d, List.of("timeline-chart", "latency-chart-1", "throughput-chart-1"));
        assertThat(d.select("svg#timeline-chart g.ops[data-workload=set] rect.op.fail"))
                .as("the failed operations of the partition on the timeline")
                .isNotEmpty();
        assertThat(d.select("svg#timeline-chart g.lane[data-node=node3] rect.role.leader"))
                .isNotEmpty();
        assertThat(d.select("#workloads tr.check.invalid").eachAttr("data-checker"))
                .containsExactly("set");
        Path png =
                Files.createDirectories(Path.of("target", "report-screenshots")).resolve("sample-workload.png");
        HeadlessChromium.screenshot(page, png, 1300, 1500);
        assertThat(Files.size(png)).as("a screenshot with something on it").isGreaterThan(40_000);
    }

    @Test
    void aHundredThousandOperationsRenderThinned() throws Exception {
        Path page = HtmlReport.write(SampleWorkload.writeTo(dir, 100_000, 10));
        HeadlessChromium.Rendered r = HeadlessChromium.dom(page);
        ReportPageChecks.renderedWithoutErrors(r, List.of("node1", "node2", "node3"));
        Document d = r.dom();
        ReportPageChecks.everyChartLaidOut(d, List.of("timeline-chart", "latency-chart-1", "throughput-chart-1"));
        assertThat(d.selectFirst("svg#timeline-chart g.ops").attr("data-drawn")).isEqualTo("thinned");
        assertThat(d.select("svg#latency-chart-1 path.lat-line.p99")).isNotEmpty();
        HeadlessChromium.screenshot(
                page,
                Files.createDirectories(Path.of("target", "report-screenshots")).resolve("ops-100k.png"),
                1300,
                1500);
    }

    @Test
    void aPlotTheBrowserCannotDrawIsSeen() throws Exception {
        // everyChartLaidOut must be able to fail: the same page with one plot's path data broken
        Path page = HtmlReport.write(SampleWorkload.writeTo(dir, 600, 4));
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int at = html.indexOf("class=\"rate ok\"");
        int d = html.lastIndexOf("d=\"M", at);
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, html.substring(0, d) + "d=\"Mx" + html.substring(d + 4), StandardCharsets.UTF_8);
        HeadlessChromium.Rendered r = HeadlessChromium.dom(broken);
        assertThatThrownBy(() -> ReportPageChecks.everyChartLaidOut(r.dom(), List.of("throughput-chart-1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("throughput-chart-1");
    }

    @Test
    void aScriptErrorOnThePageIsSeen() throws Exception {
        // the check above must be able to fail: the same page with a script that throws
        Path page = HtmlReport.write(SampleRun.writeTo(dir));
        String html = Files.readString(page, StandardCharsets.UTF_8)
                .replace("</body>", "<script>document.body.noSuchFunction();</script></body>");
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, html, StandardCharsets.UTF_8);
        HeadlessChromium.Rendered r = HeadlessChromium.dom(broken);
        assertThat(r.jsErrors()).isEqualTo(1);
        assertThat(r.dom().selectFirst("html").attr("data-js-error-last")).contains("noSuchFunction");
    }
}
