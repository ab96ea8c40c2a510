package io.vmcluster.qmp;

/** An event listener registration; closing it stops delivery. */
public interface QmpSubscription extends AutoCloseable {
    @Override
    void close();
}
