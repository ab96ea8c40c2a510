package io.vmcluster.image.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.image.definition.ImageDefinition;
import io.vmcluster.image.definition.InvalidDefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildTreeTest {
    @TempDir
    Path images;

    @TempDir
    Path host;

    @BeforeEach
    void aRuntimeAndAnImage() throws IOException {
        Path rt = Files.createDirectories(images.resolve("runtime/rootfs/etc"));
        Files.writeString(rt.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rt.resolve("group"), "root:x:0:\n");
        Files.createDirectories(images.resolve("runtime/services"));
        Files.writeString(images.resolve("runtime/services/sshd"), "#!/bin/sh\nexec dropbear -F\n");
        Files.writeString(images.resolve("runtime/runtime.yaml"), """
                packages: [busybox-static]
                modules: [virtio_net]
                files: {/: rootfs}
                services:
                  sshd: {script: services/sshd, port: 22}
                """);
        Path kvd = Files.createDirectories(images.resolve("kvd"));
        Files.writeString(kvd.resolve("image.yaml"), """
                packages: [socat]
                files:
                  /usr/bin/kvd: {at_build: true}
                params: {kvd.sync: "true"}
                services:
                  kvd:
                    command: exec kvd --node ${vmc.name} --sync ${vmc.kvd.sync}
                    environment: {KVD_GREETING: 'hello "$USER" ${vmc.name}'}
                    user: kvd
                    port: 7000
                    depends_on: [sshd]
                    restart: on-failure
                  probe: {command: exec sleep 1000, boot: false, port: 7001, protocol: udp}
                """);
        Files.writeString(host.resolve("kvd"), "#!/bin/sh\necho a program\n");
        Files.setPosixFilePermissions(
                host.resolve("kvd"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    private Path tree(String name) throws IOException {
        ImageBuild b = new ImageBuild(images);
        ImageBuild.Options o = new ImageBuild.Options(Map.of("/usr/bin/kvd", host.resolve("kvd")), false, false);
        ImageDefinition d = b.definition("kvd", o);
        Path t = Files.createDirectories(host.resolve(name));
        BuildTree.write(d, o.hostFiles(), t);
        return t;
    }

    @Test
    void theTreeHoldsWhatTheRuntimeNeedsToRunTheServices() throws IOException {
        Path t = tree("t");
        Path root = t.resolve("rootfs");
        assertThat(Files.readString(t.resolve("packages.in"))).isEqualTo("busybox-static\nsocat\n");
        assertThat(Files.readString(root.resolve("etc/inittab")))
                .contains("::respawn:/usr/sbin/vmc-supervise sshd\n::respawn:/usr/sbin/vmc-supervise kvd\n");
        assertThat(Files.readString(root.resolve("etc/vmc/ports"))).isEqualTo("sshd 22\nkvd 7000\n");
        assertThat(Files.readString(root.resolve("etc/vmc/ready-ports")))
                .as("boot TCP services only")
                .isEqualTo("sshd 22\nkvd 7000\n");
        assertThat(Files.readString(root.resolve("etc/vmc/boot-off"))).isEqualTo("probe\n");
        assertThat(Files.readString(root.resolve("etc/vmc/restart/kvd"))).isEqualTo("on-failure\n");
        assertThat(root.resolve("etc/vmc/restart/sshd"))
                .as("always is the default")
                .doesNotExist();
        assertThat(Files.readString(root.resolve("etc/vmc/params/kvd.sync"))).isEqualTo("true");
        assertThat(Files.readString(root.resolve("etc/passwd")))
                .contains("\nkvd:x:1001:1001::/var/lib/vmc:/bin/false\n");
        assertThat(Files.isExecutable(root.resolve("usr/bin/kvd")))
                .as("the host file, with its mode")
                .isTrue();
        assertThat(Files.readString(root.resolve("usr/lib/vmc/run/sshd"))).contains("exec dropbear");
        String kvd = Files.readString(root.resolve("etc/vmc/services/kvd"));
        assertThat(kvd)
                .contains("vmc_wait_services sshd\n")
                .contains("export KVD_GREETING=\"hello \\\"\\$USER\\\" $(vmc_param name)\"\n")
                .contains("exec setpriv --reuid=kvd --regid=kvd --init-groups -- /bin/sh -c '. /usr/lib/vmc/lib.sh\n"
                        + "exec kvd --node $(vmc_param name) --sync $(vmc_param kvd.sync)'\n");
        assertThat(Files.readString(t.resolve("image.json.in")))
                .contains("\"kvd\" : {\n      \"port\" : 7000,\n      \"protocol\" : \"tcp\"")
                .contains("\"probe\" : {\n      \"port\" : 7001,\n      \"protocol\" : \"udp\"")
                .contains("\"kvd.sync\" : \"true\"")
                .contains("\"definitionHash\" : \"@HASH@\"")
                .contains("\"serviceLogs\" : \"/run/vmc/log/{service}.log\"")
                .contains("\"serviceLogPort\" : \"org.vmcluster.services.0\"");
    }

    @Test
    void theSameDefinitionGivesTheSameTreeByteForByte() throws IOException {
        assertThat(listing(tree("a"))).isEqualTo(listing(tree("b")));
    }

    @Test
    void aFileGivenAtBuildMustBeGiven() {
        assertThatThrownBy(() -> new ImageBuild(images).definition("kvd", ImageBuild.Options.defaults()))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(
                        "image.yaml:3:3: the file /usr/bin/kvd is given at build time: add --file /usr/bin/kvd=PATH");
    }

    @Test
    void theLockMustCoverEveryTopLevelPackage() throws IOException {
        ImageDefinition d = new ImageBuild(images)
                .definition("kvd", new ImageBuild.Options(Map.of("/usr/bin/kvd", host.resolve("kvd")), false, false));
        Path lock = images.resolve("kvd/packages.lock");
        assertThat(ImageBuild.unlocked(d, lock)).as("no lock yet").containsExactly("busybox-static", "socat");
        Files.writeString(lock, "# comment\nbusybox-static 1 amd64 abc\n");
        assertThat(ImageBuild.unlocked(d, lock)).containsExactly("socat");
    }

    private static List<String> listing(Path t) throws IOException {
        try (Stream<Path> s = Files.walk(t)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> {
                        try {
                            return t.relativize(p) + " " + Files.isExecutable(p) + " "
                                    + Files.readString(p).hashCode();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .sorted()
                    .toList();
        }
    }
}
