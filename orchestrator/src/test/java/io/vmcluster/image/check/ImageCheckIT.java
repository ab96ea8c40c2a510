package io.vmcluster.image.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.cli.Vmcluster;
import io.vmcluster.network.TestHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The conformance check on real VMs, the way a user runs it: {@code vmcluster image check
 * images/base --nodes 2} — a definition directory, so the {@code base} image (the shared runtime
 * and nothing else) is built from its image.yaml by the one builder (or found in the cache) — must
 * find every point of the contract honoured, the network ones on both nodes (two are enough for
 * "peers" and for every node's /etc/hosts naming the others; a third VM checked nothing more).
 */
@EnabledIf("canBoot")
class ImageCheckIT {
    private static final Path BASE =
            Path.of("..", "images", "base").toAbsolutePath().normalize();

    static boolean canBoot() {
        return TestHost.canManageNamespaces()
                && Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))
                && Files.isExecutable(Path.of("/usr/bin/qemu-img"));
    }

    @Test
    void theBaseImageBuiltFromItsDefinitionDirectoryHonoursTheContractOnTwoNodes() {
        Path results = Path.of("target", "it-results", "ImageCheckIT-" + System.currentTimeMillis())
                .toAbsolutePath();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vmcluster.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute(
                        "image",
                        "check",
                        BASE.toString(),
                        "--nodes",
                        "2",
                        "--accel",
                        "tcg",
                        "--results",
                        results.toString());
        System.out.println(out);
        List<String> table = out.toString()
                .lines()
                .filter(l -> l.startsWith("ok ") || l.startsWith("FAIL "))
                .toList();
        assertThat(table)
                .extracting(l -> l.substring(6, 32).strip())
                .as("every point of the contract, sshd and qemu-ga from the runtime")
                .containsExactly(
                        "readiness",
                        "console shell",
                        "params",
                        "hostname",
                        "address",
                        "/etc/hosts",
                        "peers",
                        "tools",
                        "data disk",
                        "service qemu-ga",
                        "service sshd",
                        "ssh",
                        "guest agent",
                        "restart keeps data",
                        "power button");
        assertThat(table)
                .filteredOn(l -> l.startsWith("FAIL"))
                .as("failed points")
                .isEmpty();
        assertThat(table)
                .filteredOn(l -> l.contains("/etc/hosts"))
                .singleElement()
                .asString()
                .contains("'192.168.1.11 node1', '192.168.1.12 node2' (vmc.hosts) on each of the 2 nodes");
        assertThat(code).as("exit code; stderr:%n%s", err).isZero();
        assertThat(out.toString()).contains("conformant: 15 points", "Results: " + results);
        assertThat(results.resolve("node2").resolve("serial.log")).exists();
    }
}
