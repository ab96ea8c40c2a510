package io.vmcluster.warm;

import java.nio.file.Path;

/** Another process for {@link WarmCacheTest}: tries a lock and prints {@code taken} or {@code busy}. */
public final class EntryLockProbe {
    private EntryLockProbe() {}

    public static void main(String[] args) {
        Path file = Path.of(args[1]);
        var lock = args[0].equals("shared") ? EntryLock.shared(file) : EntryLock.exclusive(file);
        System.out.println(lock.isPresent() ? "taken" : "busy");
        lock.ifPresent(EntryLock::close);
    }
}
