package io.vmcluster.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.qmp.testing.FakeQmpServer;
import io.vmcluster.qmp.testing.TempDir;
import io.vmcluster.qmp.testing.TestTiming;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connecting: bounded retries while the socket is missing or refuses; a silent peer times out. */
class QmpConnectTest {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(5));

    @Test
    void aSocketThatNeverAppearsFailsWithinTheBoundNamingThePath() {
        try (TempDir dir = new TempDir("vmc-conn-")) {
            var missing = dir.resolve("never.sock");
            long start = System.nanoTime();
            assertThatThrownBy(() -> QmpClient.connect(
                            missing, QmpClientOptions.DEFAULTS.withConnectTimeout(Duration.ofMillis(200))))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining(missing.toString())
                    .hasMessageContaining("attempts");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
        }
    }

    @Test
    void connectRetriesWhileTheSocketRefusesThenSucceeds() throws Exception {
        try (TempDir dir = new TempDir("vmc-conn-")) {
            var path = dir.resolve("qmp.sock");
            // a socket file nobody listens on: connect(2) says ECONNREFUSED, as right after QEMU creates it
            try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                stale.bind(UnixDomainSocketAddress.of(path));
            }
            assertThat(Files.exists(path)).isTrue();
            CompletableFuture<QmpClient> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    return QmpClient.connect(path, QmpClientOptions.DEFAULTS.withConnectTimeout(WAIT));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TimeUnit.MILLISECONDS.sleep(100); // let it be refused a few times (provoking, not synchronising)
            assertThat(connecting).as("still retrying").isNotDone();
            Files.delete(path);
            try (FakeQmpServer server = new FakeQmpServer(path)) {
                server.greetAndNegotiate();
                try (QmpClient client = connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    assertThat(client.greeting().version().major()).isEqualTo(7);
                }
            }
        }
    }

    @Test
    void aPeerThatNeverGreetsTimesOut() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer()) {
            assertThatThrownBy(() -> QmpClient.connect(
                            server.socket(), QmpClientOptions.DEFAULTS.withConnectTimeout(Duration.ofMillis(300))))
                    .isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("greeting");
        }
    }
}
