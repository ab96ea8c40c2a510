package io.vmcluster.nativeio;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The only door to native code in the orchestrator (jnr-ffi over libc). Every call checks its
 * result and throws {@link NativeException} with errno on failure.
 *
 * <p>Kept deliberately small: entering a network namespace on the calling thread, and signalling
 * processes. Anything else native (ioctl, sendmsg with SCM_RIGHTS, prctl) belongs here too when
 * it is needed, never in another package.
 */
public final class Native {
    /** {@code CLONE_NEWNET} from {@code <sched.h>}: the nstype of a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    /** {@code SIGKILL}. */
    public static final int SIGKILL = 9;

    /** {@code SIGTERM}. */
    public static final int SIGTERM = 15;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_APPEND = 0x400;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ESRCH = 3;

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {}

    /**
     * Moves the <em>calling thread</em> (not the process) into the network namespace bound at
     * {@code nsPath} (e.g. {@code /run/netns/vmc-abc}, or {@code /proc/self/ns/net} to go back).
     * Sockets the thread creates afterwards belong to that namespace for their whole life; child
     * processes it forks start in it. Needs CAP_SYS_ADMIN.
     */
    public static void enterNetworkNamespace(Path nsPath) {
        int fd = LIBC.open(nsPath.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw error("open(" + nsPath + ")");
        }
        try {
            if (LIBC.setns(fd, CLONE_NEWNET) != 0) {
                throw error("setns(" + nsPath + ", CLONE_NEWNET)");
            }
        } finally {
            LIBC.close(fd);
        }
    }

    /**
     * The inode of the network namespace the calling thread is in, from
     * {@code /proc/thread-self/ns/net}: two threads are in the same namespace iff equal.
     */
    public static String currentNetworkNamespace() {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))
                    .toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /proc/thread-self/ns/net", e);
        }
    }

    /**
     * Sends {@code signal} to {@code pid}. Returns false if no such process exists (ESRCH);
     * throws on any other error.
     */
    public static boolean kill(long pid, int signal) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        if (LIBC.kill((int) pid, signal) == 0) {
            return true;
        }
        int errno = RUNTIME.getLastError();
        if (errno == ESRCH) {
            return false;
        }
        throw new NativeException("kill(" + pid + ", " + signal + ")", errno, LIBC.strerror(errno));
    }

    /** The pid of this JVM as libc sees it. */
    public static long pid() {
        return LIBC.getpid();
    }

    private static NativeException error(String call) {
        int errno = RUNTIME.getLastError();
        return new NativeException(call, errno, LIBC.strerror(errno));
    }

    /**
     * Points this process's standard output and standard error (file descriptors 1 and 2) at the
     * end of {@code file}, which must exist: a detached process hands its terminal output over to
     * a log once whoever read its pipe has gone (the reader then sees end of file).
     */
    public static void redirectStdoutAndStderr(Path file) {
        int fd = LIBC.open(file.toString(), O_WRONLY | O_APPEND | O_CLOEXEC);
        if (fd < 0) {
            throw error("open(" + file + ")");
        }
        try {
            for (int target : new int[] {1, 2}) {
                if (LIBC.dup2(fd, target) < 0) {
                    throw error("dup2(" + file + ", " + target + ")");
                }
            }
        } finally {
            LIBC.close(fd);
        }
    }
}
