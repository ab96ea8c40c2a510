package io.vmcluster.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A jsch {@link com.jcraft.jsch.SocketFactory} over {@link NamespacedSockets}. */
final class NamespacedJschSocketFactory implements com.jcraft.jsch.SocketFactory {
    private final NamespacedSockets sockets;
    private final Duration connectTimeout;

    NamespacedJschSocketFactory(NamespacedSockets sockets, Duration connectTimeout) {
        this.sockets = sockets;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        try {
            return sockets.socket(new InetSocketAddress(InetAddress.getByName(host), port), connectTimeout);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public InputStream getInputStream(Socket socket) throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream getOutputStream(Socket socket) throws IOException {
        return socket.getOutputStream();
    }
}
