package io.vmcluster.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.events.Event;
import io.vmcluster.report.HtmlReport;
import io.vmcluster.report.ReportData;
import io.vmcluster.report.ResultsDirectory;
import io.vmcluster.report.SampleRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {
    @TempDir
    Path dir;

    private Document page(ResultsDirectory results) throws Exception {
        Path file = HtmlReport.write(results);
        return Jsoup.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void theTimelineHasALanePerNodeWithItsStatesAndABandPerFault() throws Exception {
        ResultsDirectory results = SampleRun.writeTo(dir);
        Document d = page(results);
        assertThat(d.select("svg#timeline-chart g.lane").eachAttr("data-node"))
                .containsExactly("node1", "node2", "node3");
        Element node3 = d.selectFirst("g.lane[data-node=node3]");
        assertThat(node3.select("rect.state").eachAttr("data-state"))
                .containsExactly("booting", "ready", "crashed", "booting", "ready", "stopped");
        assertThat(d.select("rect.fault-band").eachAttr("data-fault"))
                .as("a band for the partition; the killed process has no duration")
                .containsExactly("f1");
        assertThat(d.select("rect.fault[data-fault=f1] title").text())
                .contains("partition [node1] | [node2, node3]")
                .contains("from 34.2 s to 54.2 s");
        assertThat(d.select("path.fault-instant[data-fault=f2]")).hasSize(1);
        assertThat(d.select("g.lane[data-node=node1] rect.node-fault").eachAttr("data-fault"))
                .as("node1 is the side cut off")
                .containsExactly("f1");
        assertThat(d.select("g.lane[data-node=node2] rect.node-fault").eachAttr("data-fault"))
                .containsExactly("f2");
    }

    @Test
    void theVerdictAndWhatFailedComeFirst() throws Exception {
        Document d = page(SampleRun.writeTo(dir));
        assertThat(d.title()).isEqualTo("FAIL sample — vmcluster");
        assertThat(d.selectFirst("#verdict").text()).isEqualTo("FAILED");
        assertThat(d.selectFirst("header .tally").text()).startsWith("1 passed, 1 failed, 0 skipped");
        Element failure = d.selectFirst("#failures .failure");
        assertThat(failure.text())
                .contains("partition <keeps> writing")
                .contains("wait until on node2")
                .contains("on node2")
                .contains("timed out after 15 s");
        assertThat(failure.selectFirst("a").attr("href")).isEqualTo("#test-2");
        assertThat(d.select("svg#timeline-chart rect.test-bar").eachAttr("class"))
                .containsExactly("test-bar passed", "test-bar failed");
        assertThat(d.select("line.failure-line"))
                .as("one red line where the failing step ended")
                .hasSize(1);
        assertThat(d.selectFirst("details#test-2").hasAttr("open"))
                .as("a failed test is open")
                .isTrue();
        assertThat(d.selectFirst("details#test-1").hasAttr("open")).isFalse();
        assertThat(d.select("details#test-2 table.steps tr.failed").text())
                .contains("timed out")
                .doesNotContain("never ended");
    }

    @Test
    void textFromTheRunCannotBecomeMarkup() throws Exception {
        List<Event> events = new ArrayList<>(SampleRun.events());
        events.add(
                new Event(SampleRun.T0.plusSeconds(30), "log", null, Map.of("message", "<script>alert(1)</script>")));
        events.add(new Event(
                SampleRun.T0.plusSeconds(31), "test.start", null, Map.of("test", "<img src=x onerror=alert(1)>\"'&")));
        ResultsDirectory results = new ResultsDirectory(dir).create();
        try (var sink = io.vmcluster.events.JsonLinesEventSink.open(results.events())) {
            events.forEach(sink::record);
        }
        Document d = page(results);
        assertThat(d.select("img")).isEmpty();
        assertThat(d.select("script")).as("only the page's own two scripts").hasSize(2);
        assertThat(d.select("details.test summary").text()).contains("<img src=x onerror=alert(1)>\"'&");
    }

    @Test
    void thePageNeedsNothingFromTheNetwork() throws Exception {
        Document d = page(SampleRun.writeTo(dir));
        assertThat(d.select("[src]")).as("no external scripts or images").isEmpty();
        assertThat(d.select("link")).as("no external stylesheets").isEmpty();
        assertThat(d.select("a[href]").eachAttr("href"))
                .allSatisfy(href -> assertThat(href).doesNotContain("://"));
        assertThat(d.select("style").html()).doesNotContain("url(").doesNotContain("@import");
    }

    @Test
    void filesOfTheRunAndOfEachNodeAreLinkedRelatively() throws Exception {
        ResultsDirectory results = SampleRun.writeTo(dir);
        Files.createDirectories(results.node("node1").resolve("services"));
        Files.writeString(results.serialLog("node1"), "boot\nVMC-READY node1\n");
        Files.writeString(results.node("node1").resolve("services").resolve("etcd log.log"), "x");
        Files.writeString(results.junitXml(), "<testsuite/>");
        Document d = page(results);
        assertThat(d.select("#node-node1 ul.files a").eachAttr("href"))
                .containsExactly("node1/serial.log", "node1/services/etcd%20log.log");
        assertThat(d.select("#node-node1 details pre").text()).contains("VMC-READY node1");
        assertThat(d.select("#files a").eachAttr("href"))
                .contains("events.jsonl", "test-output.xml")
                .doesNotContain("report.html");
    }

    @Test
    void aDirectoryWithBrokenLinesStillGetsAPageThatListsThem() throws Exception {
        ResultsDirectory results = SampleRun.writeTo(dir);
        Files.writeString(
                results.events(),
                "{\"time\":\"2026-12-01T10:00:58Z\",\"kind\":\"lo",
                java.nio.file.StandardOpenOption.APPEND);
        Document d = page(results);
        assertThat(d.selectFirst("#problems").text()).contains("events.jsonl:").contains("half a line");
        assertThat(d.select("g.lane")).hasSize(3);
    }

    @Test
    void aRunThatBootedNothingStillSaysWhy() throws Exception {
        ResultsDirectory results = new ResultsDirectory(dir).create();
        try (var sink = io.vmcluster.events.JsonLinesEventSink.open(results.events())) {
            sink.record(new Event(SampleRun.T0, "run.start", null, Map.of("scenario", "s", "tests", List.of("a"))));
            sink.record(new Event(SampleRun.T0.plusSeconds(30), "cluster.failed", null, Map.of("error", "no KVM")));
            sink.record(new Event(SampleRun.T0.plusSeconds(31), "run.end", null, Map.of("passed", false)));
        }
        Document d = page(results);
        assertThat(d.selectFirst("#verdict").text()).isEqualTo("FAILED");
        assertThat(d.selectFirst("#failures").text()).contains("no KVM");
        assertThat(d.select("svg#timeline-chart text.none").eachText()).contains("no faults", "no node started");
    }

    @Test
    void renderingTheSameDirectoryTwiceGivesTheSamePageButForItsDate() {
        ResultsDirectory results = SampleRun.writeTo(dir);
        ReportData a = HtmlReport.read(results);
        ReportData b = HtmlReport.read(results);
        ReportData sameTime =
                new ReportData(b.run(), b.timeline(), b.files(), b.serialTails(), b.problems(), a.generated());
        assertThat(ReportPage.render(sameTime)).isEqualTo(ReportPage.render(a));
    }
}
