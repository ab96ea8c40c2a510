package io.vmcluster.qmp;

import java.util.List;

/**
 * What QEMU announced when the connection opened.
 *
 * @param version QEMU's version
 * @param capabilities the capabilities offered (7.2 offers "oob"; this client never enables it)
 */
public record QmpGreeting(QmpVersion version, List<String> capabilities) {
    public QmpGreeting {
        capabilities = List.copyOf(capabilities);
    }
}
