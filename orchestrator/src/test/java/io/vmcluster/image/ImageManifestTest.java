package io.vmcluster.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageManifestTest {
    @TempDir
    Path dir;

    private static final String JSON = """
            {
              "name": "etcd-test", "version": "1", "somethingNew": {"ignored": true},
              "kernel": "vmlinuz", "initrd": "initrd.img", "rootDisk": null,
              "cmdline": "console=ttyS0 panic=-1", "minMemoryMiB": 512,
              "dataDisk": {"sizeMiB": 512, "serial": "vmc-data"},
              "channels": {"console": {"device": "hvc0"},
                           "ssh": {"port": 22, "user": "root", "keyParam": "ssh_key"},
                           "agent": {"name": "org.qemu.guest_agent.0"}},
              "readiness": {"serialLine": "VMC-READY {name}"},
              "services": {"etcd": {"port": 2379, "protocol": "tcp"}, "qemu-ga": {"port": null, "protocol": null}},
              "serviceControl": {"start": "vmc-svc start {service}", "stop": "vmc-svc stop {service}",
                                 "status": "vmc-svc status {service}"},
              "params": {"jobq.mode": "replicated"},
              "devices": ["virtio-rng-pci"],
              "serviceLogs": "/run/vmc/log/{service}.log"
            }
            """;

    @Test
    void readsTheContractAndResolvesPathsAgainstTheImageDirectory() throws Exception {
        Files.writeString(dir.resolve("image.json"), JSON);
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initrd.img"), "i");
        ImageManifest m = ImageManifest.read(dir);
        assertThat(m.kernel()).isEqualTo(dir.toAbsolutePath().resolve("vmlinuz"));
        assertThat(m.rootDiskPath()).isEmpty();
        assertThat(m.readiness().lineFor("node2")).isEqualTo("VMC-READY node2");
        assertThat(m.service("etcd").port()).isEqualTo(2379);
        assertThat(m.devices()).as("extra QEMU devices the image asks for").containsExactly("virtio-rng-pci");
        assertThat(m.dataDisk().serial()).isEqualTo("vmc-data");
        assertThat(m.channels().ssh().user()).isEqualTo("root");
        assertThatThrownBy(() -> m.service("redis"))
                .hasMessage("image etcd-test has no service 'redis'; it has etcd, qemu-ga");
    }

    @Test
    void theServiceLogsPlaceIsPerServiceAndOptional() throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initrd.img"), "i");
        Files.writeString(dir.resolve("image.json"), JSON);
        ImageManifest m = ImageManifest.read(dir);
        assertThat(m.serviceLog("etcd")).contains("/run/vmc/log/etcd.log");
        assertThatThrownBy(() -> m.serviceLog("redis")).hasMessageContaining("has no service 'redis'");

        Files.writeString(dir.resolve("image.json"), JSON.replace("\"/run/vmc/log/{service}.log\"", "null"));
        assertThat(ImageManifest.read(dir).serviceLog("etcd"))
                .as("an image that does not say where its logs are has none to copy")
                .isEmpty();

        Files.writeString(dir.resolve("image.json"), JSON.replace("/run/vmc/log/{service}.log", "log/etcd.log"));
        assertThatThrownBy(() -> ImageManifest.read(dir))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining(
                        "serviceLogs is 'log/etcd.log'; it must be an absolute guest path containing {service}");
    }

    @Test
    void missingBootFilesAreNamed() throws Exception {
        Files.writeString(dir.resolve("image.json"), JSON);
        assertThatThrownBy(() -> ImageManifest.read(dir))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("vmlinuz does not exist");
    }

    @Test
    void anImageInTheCacheIsFoundByName() throws Exception {
        Path image = dir.resolve("etcd-test");
        Files.createDirectories(image);
        Files.writeString(image.resolve("image.json"), JSON);
        Files.writeString(image.resolve("vmlinuz"), "k");
        Files.writeString(image.resolve("initrd.img"), "i");
        ImageStore store = new ImageStore(dir, Optional.empty());
        assertThat(store.resolve("etcd-test").name()).isEqualTo("etcd-test");
        assertThatThrownBy(() -> store.resolve("other")).hasMessageContaining("image 'other' is not in the cache");
    }
}
