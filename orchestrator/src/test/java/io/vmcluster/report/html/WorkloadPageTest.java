package io.vmcluster.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.SampleWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page of a run with a workload: operations on the timeline, roles, plots, verdicts, fault windows. */
class WorkloadPageTest {
    @TempDir
    Path dir;

    private static Document parse(Path page) throws Exception {
        return Jsoup.parse(Files.readString(page, StandardCharsets.UTF_8));
    }

    @Test
    void aSmallWorkloadDrawsEveryOperationInALanePerClient() throws Exception {
        ResultsDirectory results = SampleWorkload.writeTo(dir, 600, 4);
        Document d = parse(HtmlReport.write(results));

        Element ops = d.selectFirst("svg#timeline-chart g.ops[data-workload=set]");
        assertThat(ops).as("the workload's operations are on the timeline").isNotNull();
        assertThat(ops.attr("data-drawn")).isEqualTo("each");
        assertThat(ops.select("line.op-rule")).as("a lane per client").hasSize(4);
        int total = Integer.parseInt(ops.attr("data-ops"));
        assertThat(ops.select("rect.op:not(.flagged)")).hasSize(total);
        assertThat(ops.select("rect.op.fail"))
                .as("node1's clients fail while it is cut off")
                .isNotEmpty();
        assertThat(ops.select("rect.op.info")).isNotEmpty();
        assertThat(ops.select("rect.op.fail title").first().text()).contains("HTTP 503: no leader");

        assertThat(d.select("g.lane[data-node=node3] rect.role.leader"))
                .as("node3 said it leads")
                .isNotEmpty();
        assertThat(d.select("g.lane[data-node=node1] rect.role.leader")).isEmpty();
        assertThat(d.select("g.lane[data-node=node2] rect.role.no-answer title").text())
                .as("node2's probe went unanswered after its etcd was killed")
                .contains("did not answer");
    }

    @Test
    void theVerdictsExplainAndLinkToTheOperationsTheyName() throws Exception {
        Document d = parse(HtmlReport.write(SampleWorkload.writeTo(dir, 600, 4)));
        Element w = d.selectFirst("#workloads .workload[data-workload=set]");
        assertThat(w.attr("data-valid")).isEqualTo("invalid");
        Element set = w.selectFirst("tr.check[data-checker=set]");
        assertThat(set.hasClass("invalid")).isTrue();
        assertThat(set.selectFirst(".explanation").text()).contains("lost");
        Element link = set.selectFirst("ul.verdict-ops a");
        assertThat(link.text()).as("the lost add").contains("add 7 ok");
        String target = link.attr("href").substring(1);
        Element mark = d.getElementById(target);
        assertThat(mark)
                .as("the link lands on the operation's mark on the timeline")
                .isNotNull();
        assertThat(mark.hasClass("flagged")).isTrue();
        assertThat(w.select("tr.check").eachAttr("data-checker"))
                .containsExactly("set", "stats", "single-leader-per-term");
        assertThat(d.select("header dl.facts").text()).contains("checkers").contains("set: INVALID (set invalid)");
    }

    @Test
    void latencyAndThroughputArePlottedWithTheFaultBandsAndSplitByFaultWindow() throws Exception {
        Document d = parse(HtmlReport.write(SampleWorkload.writeTo(dir, 600, 4)));
        Element latency = d.selectFirst("svg#latency-chart-1");
        assertThat(latency.select("path.lat-dots"))
                .as("dots for ok, fail, info")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(latency.select("rect.fault-band").eachAttr("data-fault")).containsExactly("f1");
        assertThat(d.select("svg#throughput-chart-1 path.rate.ok")).hasSize(1);
        assertThat(d.select("svg#throughput-chart-1 path.rate.fail")).hasSize(1);
        assertThat(latency.attr("data-x0"))
                .as("the same time axis as the timeline, so the cursor line works")
                .isEqualTo(d.selectFirst("svg#timeline-chart").attr("data-x0"));

        Element windows = d.selectFirst(".workload table.windows");
        assertThat(windows.select("tbody tr td:eq(0)").eachText())
                .containsExactly("no fault in effect", "partition [node1] | [node2, node3]", "kill-process node2");
        Element partition = windows.select("tbody tr").get(1);
        assertThat(Integer.parseInt(partition.select("td").get(4).text()))
                .as("failures during the partition")
                .isPositive();
        assertThat(partition.select("td").get(1).text())
                .as("on the run's clock, like the timeline (the isolation is from 34.2 s to 54.2 s of the run)")
                .isEqualTo("34.2 s – 54.2 s");
        assertThat(d.selectFirst("tr.check[data-checker=set]")
                        .parent()
                        .parent()
                        .select("th")
                        .text())
                .as("the checkers' times are on the workload's clock, and the page says where its 0 is")
                .contains("0 s here is 20.0 s of the run");
        Element none = windows.select("tbody tr").get(0);
        assertThat(none.select("td").get(4).text())
                .as("no failure without a fault")
                .isEqualTo("0");
    }

    @Test
    void aHundredThousandOperationsAreThinnedAndThePageStaysSmall() throws Exception {
        ResultsDirectory results = SampleWorkload.writeTo(dir, 100_000, 10);
        long t0 = System.nanoTime();
        Path page = HtmlReport.write(results);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long bytes = Files.size(page);
        System.out.printf("report of 100000 operations: %d bytes, built in %d ms%n", bytes, ms);
        Files.copy(
                page,
                Files.createDirectories(Path.of("target", "report-samples")).resolve("ops-100k.html"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Document d = parse(page);
        Element ops = d.selectFirst("svg#timeline-chart g.ops[data-workload=set]");
        assertThat(ops.attr("data-drawn")).isEqualTo("thinned");
        assertThat(ops.select("text.ops-note").text()).contains("thinned to");
        assertThat(Integer.parseInt(ops.attr("data-marks"))).isLessThan(5000);
        assertThat(d.select("svg#latency-chart-1 path.lat-line.p50").eachAttr("class"))
                .as("a median line per function")
                .containsExactly("lat-line p50 f0", "lat-line p50 f1");
        assertThat(d.getElementById(d.selectFirst("tr.check[data-checker=set] ul.verdict-ops a")
                        .attr("href")
                        .substring(1)))
                .as("the lost add is still drawn and linked when the rest is thinned")
                .isNotNull();
        assertThat(bytes).as("the page of 100,000 operations").isLessThan(400_000);
    }
}
