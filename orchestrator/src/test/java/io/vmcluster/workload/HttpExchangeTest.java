package io.vmcluster.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.time.Deadline;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP client against a raw server that writes its response in pieces. */
class HttpExchangeTest {
    private static HttpExchange.Response exchange(String response, int piece) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    byte[] buf = new byte[4096];
                    int n = s.getInputStream().read(buf);
                    OutputStream out = s.getOutputStream();
                    byte[] r = response.getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < r.length; i += piece) {
                        out.write(r, i, Math.min(piece, r.length - i));
                        out.flush();
                    }
                    return new String(buf, 0, n, StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            try (Socket s = new Socket()) {
                s.connect(to, 2000);
                HttpExchange.send(s, to, "POST", "/new-job", Map.of("X-Test", "1"), "url=7");
                HttpExchange.Response r = HttpExchange.receive(s, Deadline.after(Duration.ofSeconds(5)));
                assertThat(request.get())
                        .startsWith("POST /new-job HTTP/1.1\r\n")
                        .contains("X-Test: 1\r\n", "Content-Length: 5\r\n", "Connection: close\r\n")
                        .endsWith("\r\n\r\nurl=7");
                return r;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void a_content_length_body_split_anywhere_is_read_whole(int piece) throws Exception {
        HttpExchange.Response r = exchange("HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\nhello world", piece);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("hello world");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000})
    void a_chunked_body_after_a_100_continue_is_read_whole(int piece) throws Exception {
        HttpExchange.Response r = exchange(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
                piece);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("hello world");
    }

    @Test
    void a_body_without_a_length_is_read_to_the_end_of_the_stream() throws Exception {
        HttpExchange.Response r = exchange("HTTP/1.0 200 OK\r\n\r\n[1,2]\n", 2);
        assertThat(r.body()).isEqualTo("[1,2]\n");
    }
}
