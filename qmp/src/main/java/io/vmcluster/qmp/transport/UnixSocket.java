package io.vmcluster.qmp.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;

/**
 * A connected {@code AF_UNIX} stream socket driven through libc (jnr-ffi). Internal to the qmp
 * module: the one place that makes native calls.
 *
 * <p>Why native and not {@code java.nio.channels.SocketChannel}: QEMU's {@code getfd} takes a file
 * descriptor attached with {@code SCM_RIGHTS} to the bytes of the command itself, which needs
 * {@code sendmsg} on the raw descriptor; the JDK exposes neither. Linux x86_64/aarch64 (LP64) only.
 *
 * <p>Thread-safety: one reader thread may call {@link #read}; writes are serialised by an internal
 * lock; {@link #shutdown()} may be called from any thread and wakes a blocked reader with EOF.
 */
public final class UnixSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    private static final int ENOENT = 2;
    private static final int ECONNREFUSED = 111;
    private static final int EAGAIN = 11;
    private static final int SUN_PATH_MAX = 108;
    private static final int BUFFER_BYTES = 64 * 1024;

    /** The libc calls used, nothing more. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int connect(int fd, @In byte[] address, int length);

        long read(int fd, Pointer buffer, long count);

        long send(int fd, Pointer buffer, long count, int flags);

        long sendmsg(int fd, Pointer message, int flags);

        int shutdown(int fd, int how);

        int close(int fd);

        String strerror(int errno);
    }

    private static final class Native {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private final int fd;
    private final Path path;
    private final Pointer readBuffer;
    private final Pointer writeBuffer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object closeLock = new Object();
    private boolean shutdown;
    private boolean closed;

    private UnixSocket(int fd, Path path) {
        this.fd = fd;
        this.path = path;
        this.readBuffer = Memory.allocateDirect(Native.RUNTIME, BUFFER_BYTES);
        this.writeBuffer = Memory.allocateDirect(Native.RUNTIME, BUFFER_BYTES);
    }

    /**
     * Connects once. A missing socket file raises {@link NoSuchFileException}, a listener that is
     * not accepting (yet) raises {@link ConnectException}; callers retry those within a deadline.
     */
    public static UnixSocket connect(Path path) throws IOException {
        byte[] address = socketAddress(path);
        LibC libc = Native.LIBC;
        int fd = libc.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX) failed: " + lastError());
        }
        while (true) {
            if (libc.connect(fd, address, address.length) == 0) {
                return new UnixSocket(fd, path);
            }
            int errno = errno();
            if (errno == EINTR) {
                continue;
            }
            libc.close(fd);
            String reason = "connect(" + path + "): " + libc.strerror(errno);
            if (errno == ENOENT) {
                throw new NoSuchFileException(path.toString(), null, reason);
            }
            if (errno == ECONNREFUSED || errno == EAGAIN) {
                throw new ConnectException(reason);
            }
            throw new IOException(reason);
        }
    }

    /** The socket file this socket is connected to. */
    public Path path() {
        return path;
    }

    /**
     * Blocks until bytes arrive. Returns the number of bytes read into {@code target}, or -1 at
     * end of stream (peer closed, or {@link #shutdown()} was called).
     */
    public int read(byte[] target, int offset, int length) throws IOException {
        int wanted = Math.min(length, BUFFER_BYTES);
        while (true) {
            long n = Native.LIBC.read(fd, readBuffer, wanted);
            if (n > 0) {
                readBuffer.get(0, target, offset, (int) n);
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = errno();
            if (errno != EINTR) {
                throw new IOException("read(" + path + "): " + Native.LIBC.strerror(errno));
            }
        }
    }

    /** Writes all of {@code data}. */
    public void write(byte[] data) throws IOException {
        writeLock.lock();
        try {
            writeFrom(data, 0);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes all of {@code data}, with {@code fileDescriptor} attached by {@code SCM_RIGHTS} to its
     * first bytes (one {@code sendmsg}); what the kernel did not take is written after it.
     */
    public void writeWithFileDescriptor(byte[] data, int fileDescriptor) throws IOException {
        if (data.length == 0) {
            throw new IllegalArgumentException("a file descriptor must ride on at least one byte");
        }
        writeLock.lock();
        try {
            int chunk = Math.min(data.length, BUFFER_BYTES);
            writeBuffer.put(0, data, 0, chunk);
            // struct iovec {void *base; size_t len;}
            Pointer iov = Memory.allocateDirect(Native.RUNTIME, 16);
            iov.putAddress(0, writeBuffer.address());
            iov.putLong(8, chunk);
            // struct cmsghdr {size_t len; int level; int type;} + int fd, padded: CMSG_SPACE(4) = 24
            Pointer control = Memory.allocateDirect(Native.RUNTIME, 24);
            control.putLong(0, 20); // CMSG_LEN(sizeof(int))
            control.putInt(8, SOL_SOCKET);
            control.putInt(12, SCM_RIGHTS);
            control.putInt(16, fileDescriptor);
            control.putInt(20, 0);
            // struct msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad)
            Pointer message = Memory.allocateDirect(Native.RUNTIME, 56);
            message.putAddress(0, 0L);
            message.putLong(8, 0L);
            message.putAddress(16, iov.address());
            message.putLong(24, 1L);
            message.putAddress(32, control.address());
            message.putLong(40, 24L);
            message.putLong(48, 0L);
            long sent;
            while (true) {
                sent = Native.LIBC.sendmsg(fd, message, MSG_NOSIGNAL);
                if (sent > 0) {
                    break;
                }
                int errno = errno();
                if (sent < 0 && errno == EINTR) {
                    continue;
                }
                throw new IOException(
                        "sendmsg(" + path + ", SCM_RIGHTS fd " + fileDescriptor + "): " + Native.LIBC.strerror(errno));
            }
            writeFrom(data, (int) sent);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeFrom(byte[] data, int offset) throws IOException {
        int position = offset;
        while (position < data.length) {
            int chunk = Math.min(data.length - position, BUFFER_BYTES);
            writeBuffer.put(0, data, position, chunk);
            int done = 0;
            while (done < chunk) {
                long n = Native.LIBC.send(fd, writeBuffer.slice(done), chunk - done, MSG_NOSIGNAL);
                if (n < 0) {
                    int errno = errno();
                    if (errno == EINTR) {
                        continue;
                    }
                    throw new IOException("write(" + path + "): " + Native.LIBC.strerror(errno));
                }
                done += (int) n;
            }
            position += chunk;
        }
    }

    /** Shuts both directions down; a blocked {@link #read} returns -1. Idempotent. */
    public void shutdown() {
        synchronized (closeLock) {
            if (!shutdown && !closed) {
                shutdown = true;
                Native.LIBC.shutdown(fd, SHUT_RDWR);
            }
        }
    }

    /** Shuts down and releases the descriptor. Call after the reader has stopped. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (!closed) {
                if (!shutdown) {
                    Native.LIBC.shutdown(fd, SHUT_RDWR);
                    shutdown = true;
                }
                closed = true;
                Native.LIBC.close(fd);
            }
        }
    }

    private static byte[] socketAddress(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IllegalArgumentException(
                    "unix socket path is " + name.length + " bytes, the limit is " + (SUN_PATH_MAX - 1) + ": " + path);
        }
        byte[] address = new byte[2 + SUN_PATH_MAX];
        address[0] = (byte) AF_UNIX; // sa_family_t, little endian
        address[1] = 0;
        System.arraycopy(name, 0, address, 2, name.length);
        return address;
    }

    private static int errno() {
        return Native.RUNTIME.getLastError();
    }

    private static String lastError() {
        return Native.LIBC.strerror(errno());
    }
}
