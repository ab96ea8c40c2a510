package io.vmcluster.image.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.yaml.Problem;
import io.vmcluster.yaml.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionReaderTest {
    @TempDir
    Path dir;

    private Path runtimeFile;

    @BeforeEach
    void aRuntime() throws IOException {
        Path rt = Files.createDirectories(dir.resolve("runtime"));
        Files.writeString(rt.resolve("sshd"), "#!/bin/sh\nexec dropbear -F\n");
        runtimeFile = rt.resolve("runtime.yaml");
        Files.writeString(runtimeFile, """
                name: runtime
                packages: [busybox-static, dash]
                modules: [virtio_net]
                min_memory_mib: 256
                data_disk_mib: 256
                services:
                  sshd: {script: sshd, port: 22}
                """);
    }

    private Path image(String yaml) throws IOException {
        Path d = Files.createDirectories(dir.resolve("kvd"));
        Files.writeString(d.resolve("kvd.conf"), "x=1\n");
        Path f = d.resolve("image.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        ImageDefinition d = DefinitionReader.read(image(yaml), problems);
        if (d != null && problems.isEmpty()) {
            DefinitionReader.combine(DefinitionReader.read(runtimeFile), d, problems);
        }
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    @Test
    void aDefinitionReadsWithItsServicesParamsAndFiles() throws IOException {
        ImageDefinition d = DefinitionReader.read(image("""
                description: a tiny key-value store
                packages: [socat]
                modules: [sch_netem]
                files:
                  /etc/kvd.conf: kvd.conf
                  /usr/bin/kvd: {at_build: true, mode: "0755"}
                params:
                  kvd.sync: "true"
                services:
                  kvd:
                    command: exec kvd --node ${vmc.name} --sync ${vmc.kvd.sync}
                    environment: {KVD_DATA: /var/lib/vmc/kvd}
                    port: 7000
                    depends_on: [sshd]
                    restart: on-failure
                min_memory_mib: 384
                """));
        assertThat(d.name()).as("the directory's name").isEqualTo("kvd");
        assertThat(d.packages()).containsOnlyKeys("socat");
        assertThat(d.files()).extracting(FileEntry::destination).containsExactly("/etc/kvd.conf", "/usr/bin/kvd");
        assertThat(d.files().get(1).givenAtBuild()).isTrue();
        assertThat(d.files().get(1).mode()).contains(0755);
        ServiceDefinition kvd = d.service("kvd").orElseThrow();
        assertThat(kvd.port()).contains(7000);
        assertThat(kvd.protocol()).isEqualTo(ServiceDefinition.Protocol.TCP);
        assertThat(kvd.restart()).isEqualTo(ServiceDefinition.Restart.ON_FAILURE);
        assertThat(kvd.boot()).isTrue();

        Problems problems = new Problems();
        ImageDefinition all = DefinitionReader.combine(DefinitionReader.read(runtimeFile), d, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(all.packages()).containsOnlyKeys("busybox-static", "dash", "socat");
        assertThat(all.modules()).containsExactly("virtio_net", "sch_netem");
        assertThat(all.services()).extracting(ServiceDefinition::name).containsExactly("sshd", "kvd");
        assertThat(all.minMemoryMiB()).as("the image's own").contains(384);
        assertThat(all.dataDiskMiB()).as("the runtime's").contains(256);
        assertThat(all.readinessServices()).extracting(ServiceDefinition::name).containsExactly("sshd", "kvd");
    }

    @Test
    void aReadinessCommandAloneKeepsTheDefaultPortsAndReachesImageJson() throws IOException {
        Problems problems = new Problems();
        ImageDefinition d = DefinitionReader.read(image("""
                services:
                  kvd: {command: exec kvd, port: 7000}
                readiness:
                  command: kvd-cli status | grep -q leader
                """), problems);
        assertThat(problems.list()).isEmpty();
        ImageDefinition all = DefinitionReader.combine(DefinitionReader.read(runtimeFile), d, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(all.readiness().flatMap(ImageDefinition.Readiness::command))
                .contains("kvd-cli status | grep -q leader");
        assertThat(all.readinessServices()).extracting(ServiceDefinition::name).containsExactly("sshd", "kvd");
        assertThat(io.vmcluster.image.build.ManifestTemplateAccess.json(all))
                .contains("\"readiness\" : {\n    \"serialLine\" : \"VMC-READY {name}\",\n"
                        + "    \"command\" : \"kvd-cli status | grep -q leader\"\n  }");
    }

    @Nested
    class BadInputIsLocatedWithWhatIsValid {
        @Test
        void anUnknownFieldSuggestsTheNearestOne() throws IOException {
            assertThat(problems("pakages: [curl]\n"))
                    .singleElement()
                    .asString()
                    .endsWith("image.yaml:1:1: unknown field 'pakages' in the image definition; did you mean"
                            + " 'packages'? (valid here: " + String.join(", ", DefinitionReader.TOP) + ")");
        }

        @Test
        void aServiceWithoutACommand() throws IOException {
            assertThat(problems("services:\n  kvd:\n    port: 7000\n"))
                    .singleElement()
                    .asString()
                    .contains("image.yaml:2:3: service 'kvd' needs 'command'");
        }

        @Test
        void aPortClashNamesBothServices() throws IOException {
            assertThat(problems("services:\n  kvd: {command: exec kvd, port: 22}\n"))
                    .singleElement()
                    .asString()
                    .contains("image.yaml:2:3: service 'kvd' uses port 22/tcp, as does service 'sshd'");
        }

        @Test
        void aFileSourceThatDoesNotExist() throws IOException {
            assertThat(problems("files:\n  /usr/bin/kvd: target/kvd\n"))
                    .singleElement()
                    .asString()
                    .contains("image.yaml:2:17: files: the source of /usr/bin/kvd 'target/kvd' does not exist");
        }

        @Test
        void anUnknownParamInACommandSuggestsTheDeclaredOne() throws IOException {
            assertThat(problems("params: {kvd.sync: 'true'}\nservices:\n  kvd: {command: 'kvd ${vmc.kvd.snyc}'}\n"))
                    .singleElement()
                    .asString()
                    .contains(
                            "uses '${vmc.kvd.snyc}', but the image has no param 'kvd.snyc'; did you mean 'kvd.sync'?");
        }

        @Test
        void aDependencyOnNoServiceAndACircle() throws IOException {
            assertThat(problems("""
                            services:
                              a: {command: a, depends_on: [b]}
                              b: {command: b, depends_on: [a, sshdd]}
                            """))
                    .anySatisfy(p ->
                            assertThat(p).contains("depends on 'sshdd', which is no service; did you mean 'sshd'?"))
                    .anySatisfy(p -> assertThat(p).contains("services depend on each other in a circle: a -> b -> a"));
        }

        @Test
        void aReservedParamABadProtocolAndAGuestPathUnderRun() throws IOException {
            assertThat(problems("""
                            params: {name: x}
                            files: {/run/x: kvd.conf}
                            services:
                              kvd: {command: kvd, port: 7, protocol: tpc}
                            """))
                    .hasSize(3)
                    .anySatisfy(p -> assertThat(p).contains("'name' is set by the orchestrator for every node"))
                    .anySatisfy(p -> assertThat(p).contains("'/run/x' is under /proc, /sys, /dev, /run"))
                    .anySatisfy(p -> assertThat(p)
                            .contains("'protocol' must be one of tcp, udp, found 'tpc'; did you mean 'tcp'?"));
        }

        @Test
        void theExceptionListsEveryProblem() throws IOException {
            Path f = image("services:\n  kvd: {}\n  Bad: {command: x}\n");
            assertThatThrownBy(() -> DefinitionReader.read(f))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageStartingWith("2 problems in image definition:")
                    .hasMessageContaining("'Bad' is not a service name");
        }
    }
}
