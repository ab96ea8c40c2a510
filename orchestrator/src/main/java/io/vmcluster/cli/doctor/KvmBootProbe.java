package io.vmcluster.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.KvmCpu;
import io.vmcluster.qemu.QemuBinary;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots the test image's kernel under {@code -accel kvm}, with the QEMU and the {@code -cpu} model
 * a run would use ({@link QemuBinary}, {@link KvmCpu}), and waits, with a deadline, for the kernel
 * to print {@code Linux version} on the serial line. Two failures are known on hosts whose
 * {@code /dev/kvm} opens: with broken nested virtualisation the guest stops right after "Probing
 * EDD" and never gets there (HANGS); on some AMD hosts QEMU aborts at once with {@code failed to
 * set MSR 0x10a} (FAILS, with QEMU's words). Only a boot tells. The QEMU process is killed
 * afterwards in any case.
 */
public final class KvmBootProbe {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SIGN_OF_LIFE = "Linux version";

    private KvmBootProbe() {}

    /** Probes with the kernel of {@code imageDir} (needs its image.json). */
    public static Verdict run(Path imageDir, Timing timing) {
        return run(imageDir, timing, Accelerator.KVM);
    }

    /** The same boot under another accelerator: under {@code tcg} it must say BOOTS (tests). */
    static Verdict run(Path imageDir, Timing timing, Accelerator accel) {
        return run(imageDir, timing, accel, QemuBinary.configured(), KvmCpu.forThisHost());
    }

    /** The boot with this QEMU executable and, under KVM, this {@code -cpu} model. */
    static Verdict run(Path imageDir, Timing timing, Accelerator accel, Path qemuBinary, String kvmCpu) {
        Path kernel;
        try {
            JsonNode image =
                    new ObjectMapper().readTree(imageDir.resolve("image.json").toFile());
            kernel = imageDir.resolve(image.path("kernel").asText("vmlinuz"));
        } catch (IOException e) {
            return new Verdict(Verdict.Kind.NOT_RUN, "needs a built test image (" + imageDir + "): " + e.getMessage());
        }
        Path serial = null;
        Path stderr = null;
        Process qemu = null;
        try {
            serial = Files.createTempFile("vmc-kvm-probe-", ".log");
            stderr = Files.createTempFile("vmc-kvm-probe-", ".stderr");
            List<String> argv =
                    new ArrayList<>(List.of(qemuBinary.toString(), "-accel", accel.qemuName(), "-machine", "q35"));
            if (accel == Accelerator.KVM) {
                argv.addAll(List.of("-cpu", kvmCpu));
            }
            argv.addAll(List.of(
                    "-m",
                    "256",
                    "-nodefaults",
                    "-display",
                    "none",
                    "-no-reboot",
                    "-kernel",
                    kernel.toString(),
                    "-append",
                    "console=ttyS0 earlyprintk=ttyS0 panic=-1 rdinit=/bin/false",
                    "-serial",
                    "file:" + serial));
            qemu = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(stderr.toFile()))
                    .start();
            Process running = qemu;
            Path log = serial;
            Path stderrFile = stderr;
            long start = System.nanoTime();
            Wait.forCondition("the guest kernel to print '" + SIGN_OF_LIFE + "' under " + accel.qemuName())
                    .atMost(DEADLINE)
                    .timing(timing)
                    .every(Duration.ofMillis(200))
                    .until(() -> {
                        if (Files.readString(log).contains(SIGN_OF_LIFE)) {
                            return Boolean.TRUE;
                        }
                        if (!running.isAlive() && !Files.readString(log).contains(SIGN_OF_LIFE)) {
                            throw Wait.giveUp("QEMU exited with status " + running.exitValue() + words(stderrFile));
                        }
                        throw Wait.notYet("serial so far: " + tail(Files.readString(log)));
                    });
            return new Verdict(
                    Verdict.Kind.BOOTS, "kernel up after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        } catch (WaitTimeoutException e) {
            return new Verdict(
                    Verdict.Kind.HANGS,
                    "no '" + SIGN_OF_LIFE + "' within " + timing.scale(DEADLINE).toSeconds() + " s; serial ends: "
                            + tail(read(serial)));
        } catch (Wait.GiveUp e) {
            return new Verdict(Verdict.Kind.FAILS, e.getMessage() + "; serial: " + tail(read(serial)));
        } catch (IOException e) {
            return new Verdict(Verdict.Kind.FAILS, "cannot start " + qemuBinary + ": " + e.getMessage());
        } finally {
            if (qemu != null) {
                qemu.destroyForcibly();
                try {
                    qemu.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Path temp : new Path[] {serial, stderr}) {
                if (temp != null) {
                    try {
                        Files.deleteIfExists(temp);
                    } catch (IOException ignored) {
                        // a temp file; nothing else to do
                    }
                }
            }
        }
    }

    /** {@code ": <QEMU's last lines>"} joined on one line, or nothing. */
    private static String words(Path stderr) {
        List<String> lines = read(stderr)
                .strip()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        return lines.isEmpty()
                ? ""
                : ": " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static String read(Path p) {
        try {
            return p == null ? "" : Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String serial) {
        String s = serial.strip();
        int nl = s.lastIndexOf('\n');
        String last = nl < 0 ? s : s.substring(nl + 1);
        return last.isEmpty() ? "(nothing)" : "'" + last.strip() + "'";
    }

    /**
     * @param kind what the probe saw
     * @param detail evidence: time to boot, or the last serial line before the deadline
     */
    public record Verdict(Kind kind, String detail) {
        public enum Kind {
            BOOTS,
            HANGS,
            FAILS,
            NOT_RUN
        }
    }
}
