package io.vmcluster.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitXmlWriterTest {
    private static final String NASTY = "a<b>&c\"d'e ]]> \u0000nul \u001b[31mred\u001b[0m \u0007bell \ud800lone "
            + "\uffff tab\tnl\n emoji \ud83d\ude00";

    @Test
    void writesOneTestCasePerSubtestWithCounts() throws Exception {
        Document doc = parse(xml(report(
                new SubtestReport("formation", Outcome.PASSED, Duration.ofMillis(1500), "", ""),
                new SubtestReport(
                        "replication",
                        Outcome.FAILED,
                        Duration.ofMillis(2250),
                        "step 'node2: curl /queue/list' failed: exit 1",
                        "stdout:\n[]\n"),
                new SubtestReport("partition", Outcome.SKIPPED, Duration.ZERO, "stopped after a failure", ""))));

        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("mvm-ci-cluster");
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        assertThat(((Element) cases.item(0)).getAttribute("time")).isEqualTo("1.500");
        Element failure = (Element)
                ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("step 'node2: curl /queue/list' failed: exit 1");
        assertThat(failure.getTextContent())
                .as("the failure carries the message and the step's output")
                .contains("failed: exit 1")
                .contains("stdout:\n[]");
        assertThat(((Element) cases.item(2)).getElementsByTagName("skipped").getLength())
                .isEqualTo(1);
    }

    @Test
    void arbitraryGuestOutputStaysWellFormedAndVisible() throws Exception {
        Document doc = parse(xml(report(new SubtestReport(NASTY, Outcome.FAILED, Duration.ZERO, NASTY, NASTY))));

        Element testcase = (Element) doc.getElementsByTagName("testcase").item(0);
        Element failure = (Element) testcase.getElementsByTagName("failure").item(0);
        assertThat(testcase.getAttribute("name"))
                .as("markup characters survive escaping")
                .startsWith("a<b>&c\"d'e ]]> ");
        assertThat(failure.getTextContent())
                .as("characters XML cannot carry are shown, not dropped")
                .contains("\\u0000nul", "\\e[31mred\\e[0m", "\\u0007bell", "\\ud800lone", "\\uffff")
                .contains("tab\tnl\n", "emoji \ud83d\ude00");
    }

    @Test
    void emptyRunIsAnEmptySuite() throws Exception {
        Document doc = parse(xml(report()));
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("0");
    }

    @Test
    void eachTestCaseSaysItsStepsAndAFailedOneEveryNodesLogTails(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ResultsDirectory results = SampleRun.writeTo(dir);
        java.nio.file.Files.createDirectories(results.node("node1"));
        java.nio.file.Files.writeString(results.serialLog("node1"), "early line\n".repeat(40) + "vmc: services up\n");
        java.nio.file.Files.writeString(results.commandTranscript("node1"), "$ etcdctl endpoint health\n");
        java.nio.file.Files.createDirectories(results.serviceLogs("node2"));
        java.nio.file.Files.writeString(results.serviceLogs("node2").resolve("etcd.log"), "at the end of the run\n");
        java.nio.file.Path after = results.serviceLogsAfterFailure("node2", "partition <keeps> writing");
        java.nio.file.Files.createDirectories(after);
        java.nio.file.Files.writeString(after.resolve("etcd.log"), "lost leader\n" + "x".repeat(1000) + "\n");
        RunRecorder recorder = new RunRecorder("sample");
        SampleRun.events().forEach(recorder);
        JUnitXmlWriter.write(recorder.report(), results.junitXml());

        Document doc = parse(java.nio.file.Files.readAllBytes(results.junitXml()));
        NodeList cases = doc.getElementsByTagName("testcase");
        String passed = systemOut((Element) cases.item(0));
        assertThat(passed)
                .startsWith(
                        "steps (seconds since the run began):\n[   14.0 s] ok   wait for service jobq on all (6.0 s)")
                .doesNotContain("serial.log");
        String failed = systemOut((Element) cases.item(1));
        assertThat(failed)
                .contains("[   35.0 s] FAIL wait until on node2: curl -sf http://localhost:3020/queue/list (15.0 s)")
                .contains("              timed out")
                .contains("--- node1: last lines of serial.log (the kernel and init, ttyS0) ---")
                .contains("vmc: services up")
                .contains("--- node1: last lines of console.log (the hvc0 transcript) ---\n$ etcdctl endpoint health")
                .as("the copy made right after the failure, not the one of the run's end")
                .contains("--- node2: last lines of node2/services/after-partition-keeps-writing/etcd.log ---")
                .contains("lost leader")
                .doesNotContain("at the end of the run")
                .as("lines are cut")
                .doesNotContain("x".repeat(301));
        assertThat(failed.split("\n")).filteredOn(l -> l.equals("early line")).hasSize(19);
    }

    private static String systemOut(Element testcase) {
        NodeList out = testcase.getElementsByTagName("system-out");
        return out.getLength() == 0 ? "" : out.item(0).getTextContent();
    }

    private static RunReport report(SubtestReport... subtests) {
        return new RunReport(
                "mvm-ci-cluster",
                Instant.parse("2026-11-26T16:00:00Z"),
                Duration.ofSeconds(90),
                List.of(subtests),
                List.of());
    }

    private static byte[] xml(RunReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JUnitXmlWriter.write(report, out);
        return out.toByteArray();
    }

    private static Document parse(byte[] xml) throws Exception {
        assertThat(new String(xml, StandardCharsets.UTF_8)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
