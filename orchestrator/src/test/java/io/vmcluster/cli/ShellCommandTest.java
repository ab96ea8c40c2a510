package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.live.Control;
import org.junit.jupiter.api.Test;

class ShellCommandTest {
    @Test
    void sshRunsInsideTheClustersNamespaceWithARealTerminalAndTheRunsKey() {
        var info = Control.ok()
                .put("namespace", "vmc-abc-1")
                .put("address", "192.168.1.11")
                .put("port", 22)
                .put("user", "root")
                .put("key", "/run/vmcluster/abc/control/ssh_key");
        var argv = ShellCommand.argv(info);
        assertThat(argv.subList(0, 4)).containsExactly("nsenter", "--net=/run/netns/vmc-abc-1", "--", "ssh");
        assertThat(argv).contains("-tt", "/run/vmcluster/abc/control/ssh_key", "root@192.168.1.11");
        assertThat(argv.get(argv.size() - 1))
                .as("a shell with line editing: bash, else busybox ash")
                .isEqualTo(ShellCommand.LOGIN)
                .contains("exec bash -l", "exec \"$bb\" ash -l");
    }

    @Test
    void theLoginScriptAliasesRealProgramsThatAnAppletWouldShadow() throws Exception {
        // a stand-in busybox that lists two applets: 'tc' has a real program beside it, 'ls' is
        // only the applet (a link to busybox, as the image builder makes it)
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vmc-login");
        try {
            java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("usr/local/bin"));
            java.nio.file.Path bb = bin.resolve("busybox");
            java.nio.file.Files.writeString(
                    bb,
                    "#!/bin/sh\ncase $1 in --list) echo tc; echo ls;; ash) [ \"$2\" = -c ] && exit 0;"
                            + " cat \"$ENV\"; echo ENV-WAS-$ENV;; esac\n");
            bb.toFile().setExecutable(true);
            java.nio.file.Files.createSymbolicLink(bin.resolve("ls"), bb);
            java.nio.file.Path tc = bin.resolve("tc");
            java.nio.file.Files.writeString(tc, "#!/bin/sh\n");
            tc.toFile().setExecutable(true);
            // the script's own paths, rooted in the temporary directory
            String script = ShellCommand.LOGIN
                    .replace("command -v bash", "false")
                    .replace("/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin", bin.toString())
                    .replace("/run/vmc-shell-aliases", dir + "/aliases");
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out)
                    .as("the ENV file ash reads")
                    .contains("alias tc=" + tc)
                    .doesNotContain("alias ls")
                    .contains("rm -f " + dir + "/aliases.")
                    .contains("ENV-WAS-" + dir + "/aliases.");
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }
}
