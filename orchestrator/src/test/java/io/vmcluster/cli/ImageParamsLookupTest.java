package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageParamsLookupTest {
    static final Path IMAGES = Path.of("..", "images").toAbsolutePath().normalize();

    @Test
    void readsAnImagesParamsFromItsDefinition(@TempDir Path cache) {
        var lookup = ImageParamsLookup.standard(new ImageBuilder(Optional.of(IMAGES)), cache);
        assertThat(lookup.of("etcd-test"))
                .get()
                .satisfies(p ->
                        assertThat(p).containsEntry("jobq.mode", "replicated").containsKey("etcd.heartbeat_ms"));
        assertThat(lookup.of("no-such-image")).isEmpty();
    }

    @Test
    void readsAnImageDirectorysManifest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("image.json"), """
                {"name": "x", "kernel": "k", "initrd": "i", "readiness": {"serialLine": "VMC-READY {name}"},
                 "params": {"kvd.sync": "1"}}
                """);
        Files.writeString(dir.resolve("k"), "");
        Files.writeString(dir.resolve("i"), "");
        var lookup = ImageParamsLookup.standard(new ImageBuilder(Optional.empty()), dir);
        assertThat(lookup.of(dir.toString())).get().satisfies(p -> assertThat(p).containsEntry("kvd.sync", "1"));
    }
}
