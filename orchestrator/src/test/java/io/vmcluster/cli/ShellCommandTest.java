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
                .as("a shell with line editing where there is one")
                .contains("bash -l");
    }
}
