package io.vmcluster.cli.doctor;

import io.vmcluster.image.ImageManifest;
import io.vmcluster.image.InvalidImageException;
import io.vmcluster.qemu.Accelerator;
import io.vmcluster.qemu.KvmCpu;
import io.vmcluster.qemu.QemuBinary;
import io.vmcluster.qemu.QemuCommandLine;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import io.vmcluster.time.WaitTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots the test image's kernel under {@code -accel kvm}, with the QEMU, the {@code -cpu} model
 * and the command line builder a run uses ({@link QemuBinary}, {@link KvmCpu}, {@link
 * QemuCommandLine}), and waits, with a deadline, for the kernel
 * to print {@code Linux version} on the serial line. Two failures are known on hosts whose
 * {@code /dev/kvm} opens: with broken nested virtualisation the guest stops right after "Probing
 * EDD" and never gets there (HANGS); on some AMD hosts QEMU aborts at once with {@code failed to
 * set MSR 0x10a} (FAILS, with QEMU's words). Only a boot tells. The QEMU process is killed
 * afterwards in any case.
 */
public final class KvmBootProbe {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String SIGN_OF_LIFE = "Linux version";
    private static final int MEMORY_MIB = 256;
    private static final String APPEND = "console=ttyS0 earlyprintk=ttyS0 panic=-1 rdinit=/bin/false";

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
        ImageManifest image;
        try {
            image = ImageManifest.read(imageDir);
        } catch (InvalidImageException e) {
            return new Verdict(Verdict.Kind.NOT_RUN, "needs a built test image (" + imageDir + "): " + e.getMessage());
        }
        Path dir = null;
        Process qemu = null;
        try {
            dir = Files.createTempDirectory("vmc-kvm-probe-");
            QemuCommandLine line = commandLine(image, dir, accel, qemuBinary, kvmCpu);
            Path serial = line.serialLog();
            Path stderr = dir.resolve("qemu.stderr");
            qemu = new ProcessBuilder(line.argv())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(stderr.toFile()))
                    .start();
            Process running = qemu;
            long start = System.nanoTime();
            try {
                Wait.forCondition("the guest kernel to print '" + SIGN_OF_LIFE + "' under " + accel.qemuName())
                        .atMost(DEADLINE)
                        .timing(timing)
                        .every(Duration.ofMillis(200))
                        .until(() -> {
                            if (read(serial).contains(SIGN_OF_LIFE)) {
                                return Boolean.TRUE;
                            }
                            if (!running.isAlive() && !read(serial).contains(SIGN_OF_LIFE)) {
                                throw Wait.giveUp("QEMU exited with status " + running.exitValue() + words(stderr));
                            }
                            throw Wait.notYet("serial so far: " + tail(read(serial)));
                        });
            } catch (WaitTimeoutException e) {
                return new Verdict(
                        Verdict.Kind.HANGS,
                        "no '" + SIGN_OF_LIFE + "' within "
                                + timing.scale(DEADLINE).toSeconds() + " s; serial ends: " + tail(read(serial)));
            } catch (Wait.GiveUp e) {
                return new Verdict(Verdict.Kind.FAILS, e.getMessage() + "; serial: " + tail(read(serial)));
            }
            return new Verdict(
                    Verdict.Kind.BOOTS, "kernel up after " + (System.nanoTime() - start) / 1_000_000 + " ms");
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
            deleteTree(dir);
        }
    }

    /**
     * The probe's QEMU command line, from the one builder runs use: the image's kernel and initrd,
     * the accelerator (and under KVM the {@code -cpu} model a run would use), 256 MiB, serial to
     * {@code dir/serial.log}, QMP and console sockets in {@code dir} (nobody connects: the probe
     * watches the serial line only), and {@code -no-reboot} with {@code panic=-1}, so that the
     * kernel's panic once {@code rdinit=/bin/false} exits ends QEMU instead of rebooting it.
     */
    static QemuCommandLine commandLine(
            ImageManifest image, Path dir, Accelerator accel, Path qemuBinary, String kvmCpu) {
        QemuCommandLine.Builder b = QemuCommandLine.builder(qemuBinary, "kvm-probe")
                .accelerator(accel)
                .memoryMiB(MEMORY_MIB)
                .kernel(image.kernel())
                .initrd(image.initrd())
                .append(APPEND)
                .serialLog(dir.resolve("serial.log"))
                .qmpSocket(dir.resolve("qmp.sock"))
                .consoleSocket(dir.resolve("console.sock"))
                .noReboot();
        if (accel == Accelerator.KVM) {
            b.cpu(kvmCpu);
        }
        return b.build();
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp directory; nothing else to do
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
