package io.vmcluster.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialLogTest {
    @TempDir
    Path dir;

    @Test
    void findsAWholeLineOnlyAfterTheOffset() throws Exception {
        SerialLog log = new SerialLog(dir.resolve("serial.log"));
        assertThat(log.size()).isZero();
        Files.writeString(log.file(), "boot 1\r\nVMC-READY node1\r\n");
        long second = log.size();
        assertThat(log.hasLineSince(0, "VMC-READY node1")).isTrue();
        assertThat(log.hasLineSince(second, "VMC-READY node1"))
                .as("only the first boot printed it")
                .isFalse();
        Files.writeString(log.file(), "boot 2\nVMC-READY node10\n", StandardOpenOption.APPEND);
        assertThat(log.hasLineSince(second, "VMC-READY node1"))
                .as("node10 is not node1")
                .isFalse();
        Files.writeString(log.file(), "VMC-READY node1\n", StandardOpenOption.APPEND);
        assertThat(log.hasLineSince(second, "VMC-READY node1")).isTrue();
    }

    @Test
    void tailGivesTheLastLines() throws Exception {
        SerialLog log = new SerialLog(dir.resolve("serial.log"));
        assertThat(log.tail(3)).isEmpty();
        Files.writeString(log.file(), "a\nb\nc\nd\n");
        assertThat(log.tail(2)).isEqualTo("c\nd");
    }

    @Test
    void theBootLoadersEddLineIsNoSignOfLifeButAnythingElseIs() throws Exception {
        SerialLog log = new SerialLog(dir.resolve("serial.log"));
        Files.writeString(log.file(), "earlier boot\n");
        long since = log.size();
        assertThat(log.showsGuestOutputSince(since)).isFalse();
        Files.writeString(log.file(), "Probing EDD (edd=off to disable)... ok\r\n\r\n", StandardOpenOption.APPEND);
        assertThat(log.showsGuestOutputSince(since))
                .as("a guest stuck after real mode prints this and nothing else")
                .isFalse();
        Files.writeString(log.file(), "vmc: no data disk\n", StandardOpenOption.APPEND);
        assertThat(log.showsGuestOutputSince(since)).isTrue();
        assertThat(log.tailSince(since, 5)).isEqualTo("Probing EDD (edd=off to disable)... ok\n\nvmc: no data disk");
    }
}
