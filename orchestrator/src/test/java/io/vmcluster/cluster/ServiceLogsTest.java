package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest program runs in a real sh on the host here, on real files; a real guest runs it in MvmCiClusterIT. */
class ServiceLogsTest {
    @TempDir
    Path dir;

    private byte[] runScript(Map<String, String> logs, int perFile, int perNode) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", ServiceLogs.script(logs, perFile, perNode))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the script's exit code").isZero();
        return out;
    }

    private static byte[] lines(String prefix, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) s.append(prefix).append(' ').append(i).append("\r\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachLogComesHomeWhole_orItsEnd_andMissingLogsAreLeftOut() throws Exception {
        byte[] etcd = lines("etcd line", 40_000);
        byte[] jobq = new byte[] {'o', 'k', (byte) 0xff, 0, '\n'};
        Files.write(dir.resolve("etcd.log"), etcd);
        Files.write(dir.resolve("jobq.log"), jobq);
        Map<String, String> logs = new LinkedHashMap<>();
        logs.put("etcd", dir.resolve("etcd.log").toString());
        logs.put("jobq", dir.resolve("jobq.log").toString());
        logs.put("workflowd", dir.resolve("never started.log").toString());

        List<ServiceLogs.Part> parts = ServiceLogs.parse(runScript(logs, 256 * 1024, 1024 * 1024));

        assertThat(parts).extracting(ServiceLogs.Part::service).containsExactly("etcd", "jobq");
        assertThat(etcd.length)
                .as("the test's etcd log is bigger than what is copied")
                .isGreaterThan(256 * 1024);
        assertThat(parts.get(0).bytes())
                .as("the last 256 KiB of the etcd log")
                .isEqualTo(Arrays.copyOfRange(etcd, etcd.length - 256 * 1024, etcd.length));
        assertThat(parts.get(0).size()).isEqualTo(etcd.length);
        assertThat(parts.get(1).bytes()).as("binary bytes unchanged").isEqualTo(jobq);

        List<ServiceLogs.Copied> copied = ServiceLogs.write(parts, dir.resolve("home/services"));
        assertThat(copied.get(0).truncated()).isTrue();
        assertThat(copied.get(1).truncated()).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("home/services/jobq.log"))).isEqualTo(jobq);
    }

    @Test
    void theNodeBudgetIsSpentInOrderAndWhatDoesNotFitIsCountedNotCopied() throws Exception {
        Map<String, String> logs = new LinkedHashMap<>();
        for (String s : List.of("a", "b", "c")) {
            Files.write(dir.resolve(s + ".log"), lines(s, 20)); // 120+ bytes each
            logs.put(s, dir.resolve(s + ".log").toString());
        }
        List<ServiceLogs.Part> parts = ServiceLogs.parse(runScript(logs, 100, 150));
        assertThat(parts).extracting(p -> p.bytes().length).containsExactly(100, 50, 0);
        assertThat(parts).extracting(ServiceLogs.Part::size).allMatch(size -> size > 100);
    }

    @Test
    void aStreamIsSplitIntoOneWholeLogPerServiceInOrder() throws Exception {
        Path stream = dir.resolve("services.stream");
        Files.writeString(
                stream,
                "etcd\tfirst\njobq\tone\n\tno name\nbad/name\tx\nno tab at all\n"
                        + "etcd\tsecond\twith a tab\njobq\ttwo, cut off by the crash");
        List<ServiceLogs.Copied> copied = ServiceLogs.split(stream, dir.resolve("home/services"));
        assertThat(copied).extracting(ServiceLogs.Copied::service).containsExactly("etcd", "jobq");
        assertThat(Files.readString(dir.resolve("home/services/etcd.log"))).isEqualTo("first\nsecond\twith a tab\n");
        assertThat(Files.readString(dir.resolve("home/services/jobq.log"))).isEqualTo("one\ntwo, cut off by the crash");
        assertThat(copied.get(0).truncated()).isFalse();
    }

    @Test
    void aServiceNameThatCannotNameAFileIsRefused() {
        assertThatThrownBy(() -> ServiceLogs.script(Map.of("../etc", "/x"), 1, 1))
                .hasMessageContaining("service name '../etc' cannot name a log file");
    }

    @Test
    void outputNotShapedLikeTheScriptsIsNamedWithItsOffset() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("VMC-LOG etcd 3 3\nabc".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("garbage\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ServiceLogs.parse(out.toByteArray()))
                .hasMessageContaining("at byte 20, got 'garbage'");
        assertThatThrownBy(() -> ServiceLogs.parse("VMC-LOG etcd 10 10\nabc".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("etcd announced 10 bytes, only 3 came");
    }
}
