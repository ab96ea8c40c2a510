package io.vmcluster.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.channel.SshKeys;
import io.vmcluster.image.ImageManifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of a warm start that need no VM: the key's view of a command line, the re-injection command. */
class ClusterWarmStartTest {
    private static final Path TMP = Path.of("/tmp/vmcluster-run-abc123");
    private static final Path RESULTS = Path.of("/work/results/c-20261202-abc123");

    private static List<String> argv(String append, String tmp, String results, boolean capture) {
        List<String> a = new java.util.ArrayList<>(List.of(
                "qemu-system-x86_64",
                "-m",
                "512",
                "-append",
                append,
                "-chardev",
                "socket,id=qmp,path=" + tmp + "/node1/qmp.sock,server=on,wait=off",
                "-chardev",
                "file,id=serial0,path=" + results + "/node1/serial.log,append=on"));
        if (capture) {
            a.addAll(List.of("-object", "filter-dump,id=capture-net0,netdev=net0,file=" + results + "/c.pcap"));
        }
        a.addAll(List.of("-device", "virtio-rng-pci"));
        return a;
    }

    @Test
    void twoRunsOfTheSameClusterSeeTheSameCommandLine() {
        String a = ClusterWarmStart.normalisedArgv(
                argv(
                        "console=ttyS0 vmc.name=node1 vmc.ssh_key=AAAA vmc.jobq.mode=replicated vmc.b=1",
                        TMP.toString(),
                        RESULTS.toString(),
                        false),
                TMP,
                RESULTS);
        Path tmp2 = Path.of("/tmp/vmcluster-run-zzz999");
        Path results2 = Path.of("/work/results/c-20261203-zzz999");
        String b = ClusterWarmStart.normalisedArgv(
                argv(
                        "console=ttyS0 vmc.b=1 vmc.jobq.mode=replicated vmc.name=node1 vmc.ssh_key=BBBB",
                        tmp2.toString(),
                        results2.toString(),
                        true),
                tmp2,
                results2);
        assertThat(a)
                .as("the run's directories, SSH key, captures and the order of vmc.* words make no difference")
                .isEqualTo(b);
        assertThat(a).contains("$TMP/node1/qmp.sock").contains("$RESULTS/node1/serial.log");
        assertThat(a).doesNotContain("ssh_key").doesNotContain("filter-dump");
    }

    @Test
    void anotherParamOrBaseCommandLineIsAnotherKey() {
        String replicated = ClusterWarmStart.normalisedArgv(
                argv("console=ttyS0 vmc.jobq.mode=replicated", TMP.toString(), RESULTS.toString(), false),
                TMP,
                RESULTS);
        String local = ClusterWarmStart.normalisedArgv(
                argv("console=ttyS0 vmc.jobq.mode=local", TMP.toString(), RESULTS.toString(), false), TMP, RESULTS);
        String otherConsole = ClusterWarmStart.normalisedArgv(
                argv("console=tty0 console=ttyS0 vmc.jobq.mode=replicated", TMP.toString(), RESULTS.toString(), false),
                TMP,
                RESULTS);
        assertThat(replicated).isNotEqualTo(local).isNotEqualTo(otherConsole);
    }

    @Test
    void theReinjectionGivesTheGuestThisRunsKeyAndFreshRandomness() {
        SshKeys keys = SshKeys.generate();
        ImageManifest root = image(new ImageManifest.Ssh(22, "root", "ssh_key"));
        String cmd = ClusterWarmStart.reinjectCommand(root, keys, "c2VlZA==");
        assertThat(cmd)
                .contains("h=/root")
                .contains("> \"$h/.ssh/authorized_keys\"")
                .contains(keys.authorizedKeysLine())
                .contains("/run/vmc/params/ssh_key")
                .contains(keys.kernelParamValue())
                .endsWith("printf '%s' c2VlZA== | base64 -d > /dev/urandom");
        String user = ClusterWarmStart.reinjectCommand(image(new ImageManifest.Ssh(22, "ci", null)), keys, "c2VlZA==");
        assertThat(user).contains("$1==u{print $6}").contains("chown -R ci").doesNotContain("/run/vmc/params");
        assertThat(ClusterWarmStart.reinjectCommand(image(null), keys, "c2VlZA=="))
                .as("no SSH: only the randomness")
                .isEqualTo("printf '%s' c2VlZA== | base64 -d > /dev/urandom");
    }

    private static ImageManifest image(ImageManifest.Ssh ssh) {
        return new ImageManifest(
                "t",
                "1",
                Path.of("/img"),
                Path.of("/img/vmlinuz"),
                Path.of("/img/initrd.img"),
                null,
                "",
                512,
                new ImageManifest.DataDisk(512, "vmc-data"),
                new ImageManifest.Channels(new ImageManifest.Console("hvc0"), ssh, null),
                new ImageManifest.Readiness("VMC-READY {name}", null),
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
