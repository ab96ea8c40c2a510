package io.vmcluster.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;

/** Is there memory for N nodes (guest RAM plus QEMU's own overhead each)? */
public final class MemoryCheck implements HostCheck {
    static final String NAME = "free memory";
    /** What a QEMU process needs beyond the guest's RAM (TCG translation cache, devices). */
    static final long OVERHEAD_MIB = 200;

    private final long guestMiB;

    /** @param guestMiB memory per guest (the image's minMemoryMiB) */
    public MemoryCheck(long guestMiB) {
        this.guestMiB = guestMiB;
    }

    @Override
    public CheckResult run(HostContext host) {
        Optional<Long> available = availableMiB(host);
        if (available.isEmpty()) {
            return CheckResult.warn(NAME, "cannot read MemAvailable from /proc/meminfo", "");
        }
        long per = guestMiB + OVERHEAD_MIB;
        long need = per * host.nodes();
        long avail = available.get();
        String found = String.format(
                Locale.ROOT,
                "%d MiB available; %d nodes need about %d MiB (%d + %d each); room for %d",
                avail,
                host.nodes(),
                need,
                guestMiB,
                OVERHEAD_MIB,
                avail / per);
        if (avail < need) {
            return CheckResult.missing(NAME, found, "free memory, or run fewer nodes");
        }
        return CheckResult.ok(NAME, found);
    }

    static Optional<Long> availableMiB(HostContext host) {
        try {
            return Files.readAllLines(host.file("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemAvailable:"))
                    .map(l -> l.replaceAll("[^0-9]", ""))
                    .filter(s -> !s.isEmpty())
                    .map(s -> Long.parseLong(s) / 1024)
                    .findFirst();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
