package io.vmcluster.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.cli.Vmcluster;
import io.vmcluster.image.definition.ImageDefinition;
import io.vmcluster.image.definition.InvalidDefinitionException;
import io.vmcluster.image.definition.ServiceDefinition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definitions the repository ships, and the one `image new` writes, read cleanly on the real runtime. */
class ShippedDefinitionsTest {
    private static final Path IMAGES = Path.of("..", "images").toAbsolutePath().normalize();
    private final ImageBuild builder = new ImageBuild(IMAGES);

    @Test
    void etcdTestHasItsServicesOnTheRuntimesAndTheSamePackagesAsItsLock() {
        ImageDefinition d = builder.definition("etcd-test", ImageBuild.Options.defaults());
        assertThat(d.services())
                .extracting(ServiceDefinition::name)
                .containsExactly("sshd", "qemu-ga", "etcd", "jobq", "workflowd", "udp-echo");
        assertThat(d.readinessServices())
                .extracting(ServiceDefinition::name)
                .as("what images/README.md says VMC-READY waits for")
                .containsExactly("sshd", "etcd", "jobq", "workflowd");
        assertThat(ImageBuild.unlocked(d, IMAGES.resolve("etcd-test/packages.lock")))
                .as("the committed lock pins every package")
                .isEmpty();
        assertThat(d.params()).containsKeys("jobq.mode", "etcd.heartbeat_ms");
        assertThat(builder.names()).contains("base", "etcd-test");
    }

    /** docker-etcd (docs/containers.md): dockerd before the etcd container, the container's spec shipped, the lock complete. */
    @Test
    void dockerEtcdRunsEtcdAsAContainerOfTheShippedSpec() {
        ImageDefinition d = builder.definition("docker-etcd", ImageBuild.Options.defaults());
        assertThat(d.services())
                .extracting(ServiceDefinition::name)
                .containsExactly("sshd", "qemu-ga", "dockerd", "etcd");
        assertThat(d.readinessServices()).extracting(ServiceDefinition::name).containsExactly("sshd", "etcd");
        assertThat(ImageBuild.unlocked(d, IMAGES.resolve("docker-etcd/packages.lock")))
                .as("the committed lock pins every package")
                .isEmpty();
        assertThat(d.params()).containsEntry("etcd.cluster", "hosts");
        assertThat(builder.names()).contains("docker-etcd");
    }

    /**
     * etcd-test-v2 is a second definition (docs/upgrades.md): it must stay etcd-test with one file
     * more, so this test is what keeps the two from drifting apart.
     */
    @Test
    void etcdTestV2IsEtcdTestWithJobqRecordVersion2() {
        ImageDefinition v1 = builder.definition("etcd-test", ImageBuild.Options.defaults());
        ImageDefinition v2 = builder.definition("etcd-test-v2", ImageBuild.Options.defaults());
        assertThat(v2.version()).isEqualTo("2");
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v2.packages().keySet()).isEqualTo(v1.packages().keySet());
        assertThat(v2.params()).as("the same params and defaults").isEqualTo(v1.params());
        assertThat(v2.services())
                .extracting(ServiceDefinition::name)
                .isEqualTo(v1.services().stream().map(ServiceDefinition::name).toList());
        assertThat(v2.services())
                .extracting(ServiceDefinition::script, ServiceDefinition::port)
                .as("etcd-test's service scripts and ports")
                .isEqualTo(v1.services().stream()
                        .map(sv -> org.assertj.core.groups.Tuple.tuple(sv.script(), sv.port()))
                        .toList());
        var v1Files = v1.files().stream()
                .map(f -> f.destination() + "=" + f.source().orElseThrow())
                .toList();
        var v2Files = v2.files().stream()
                .map(f -> f.destination() + "=" + f.source().orElseThrow())
                .toList();
        assertThat(v2Files)
                .as("etcd-test's files (the same sources) and the record version")
                .containsAll(v1Files)
                .hasSize(v1Files.size() + 1)
                .contains("/usr/lib/vmc/jobq-version=" + IMAGES.resolve("etcd-test-v2/files/jobq-version"));
        assertThat(ImageBuild.unlocked(v2, IMAGES.resolve("etcd-test-v2/packages.lock")))
                .as("etcd-test's lock (a symlink) pins every package")
                .isEmpty();
        assertThat(builder.names()).contains("etcd-test-v2");
    }

    @Test
    void baseIsTheRuntimeAndItsLockPinsIt() {
        ImageDefinition d = builder.definition("base", ImageBuild.Options.defaults());
        assertThat(d.services()).extracting(ServiceDefinition::name).containsExactly("sshd", "qemu-ga");
        assertThat(ImageBuild.unlocked(d, IMAGES.resolve("base/packages.lock"))).isEmpty();
    }

    @Test
    void theTutorialsKvdNeedsItsBinaryAtBuildTime() throws Exception {
        Path kvd = IMAGES.resolveSibling("examples").resolve("kvd");
        assertThatThrownBy(() -> builder.definition(kvd.toString(), ImageBuild.Options.defaults()))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("add --file /usr/bin/kvd=PATH");
        Path bin = Files.createTempFile("kvd", "");
        try {
            ImageDefinition d = builder.definition(
                    kvd.toString(), new ImageBuild.Options(Map.of("/usr/bin/kvd", bin), false, false));
            assertThat(d.name()).isEqualTo("kvd");
            assertThat(d.service("kvd").orElseThrow().port()).contains(7000);
        } finally {
            Files.delete(bin);
        }
    }

    @Test
    void imageNewWritesADefinitionThatReadsCleanlyAndRefusesToOverwriteIt(@TempDir Path dir) {
        Path target = dir.resolve("hello");
        assertThat(run("image", "new", "hello", "--dir", target.toString())).isZero();
        ImageDefinition d = builder.definition(target.toString(), ImageBuild.Options.defaults());
        assertThat(d.description()).isEqualTo("hello (from vmcluster image new)");
        assertThat(d.service("hello").orElseThrow().port()).contains(8080);
        assertThat(run("image", "new", "hello", "--dir", target.toString()))
                .as("exists already")
                .isEqualTo(2);
        assertThat(run("image", "new", "Bad Name", "--dir", dir.resolve("x").toString()))
                .isEqualTo(2);
    }

    @Test
    void imageNewNamesTheImageAfterItsNameNotAfterTheDirectory(@TempDir Path dir) {
        Path target = dir.resolve("somewhere-else");
        assertThat(run("image", "new", "myimg", "--dir", target.toString())).isZero();
        ImageDefinition d = builder.definition(target.toString(), ImageBuild.Options.defaults());
        assertThat(d.name()).as("image new myimg --dir %s", target).isEqualTo("myimg");
    }

    private static int run(String... args) {
        return Vmcluster.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .execute(args);
    }
}
