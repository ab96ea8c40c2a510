package io.vmcluster.qmp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFrameDecoderTest {
    final List<String> frames = new ArrayList<>();
    final List<Integer> delimiters = new ArrayList<>();
    int garbage;

    final JsonFrameDecoder.Sink sink = new JsonFrameDecoder.Sink() {
        @Override
        public void frame(byte[] bytes, int offset, int length) {
            frames.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void delimiter(int droppedBytes) {
            delimiters.add(droppedBytes);
        }

        @Override
        public void garbage(int skippedBytes) {
            garbage += skippedBytes;
        }
    };

    void feed(JsonFrameDecoder decoder, byte[] bytes) throws Exception {
        decoder.feed(bytes, 0, bytes.length, sink);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void objectsSplitAtEveryByte() throws Exception {
        String input = "{\"return\": {\"a\": \"}{\\\"]\"}, \"id\": 1}\r\n{\"event\": \"STOP\"}\r\n";
        JsonFrameDecoder decoder = new JsonFrameDecoder(1024);
        for (byte b : utf8(input)) {
            feed(decoder, new byte[] {b});
        }
        assertThat(frames).containsExactly("{\"return\": {\"a\": \"}{\\\"]\"}, \"id\": 1}", "{\"event\": \"STOP\"}");
        assertThat(garbage).isZero();
    }

    @Test
    void everySplitPointOfTwoObjectsGivesTheSameFrames() throws Exception {
        byte[] input = utf8("{\"x\": [1, {\"y\": \"\\\\\"}]}\n{\"z\": {}}");
        for (int split = 0; split <= input.length; split++) {
            frames.clear();
            JsonFrameDecoder decoder = new JsonFrameDecoder(1024);
            decoder.feed(input, 0, split, sink);
            decoder.feed(input, split, input.length - split, sink);
            assertThat(frames)
                    .as("split at %d", split)
                    .containsExactly("{\"x\": [1, {\"y\": \"\\\\\"}]}", "{\"z\": {}}");
        }
    }

    @Test
    void severalObjectsInOneRead() throws Exception {
        feed(new JsonFrameDecoder(1024), utf8("{\"a\":1}{\"b\":2}\r\n{\"c\":3}"));
        assertThat(frames).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void garbageOutsideObjectsIsSkippedAndCounted() throws Exception {
        feed(new JsonFrameDecoder(1024), utf8("xx]{\"a\":1} ;;\r\n{\"b\":2}"));
        assertThat(frames).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(garbage).isEqualTo(5);
    }

    @Test
    void oversizedObjectIsRefusedWithTheCap() {
        JsonFrameDecoder decoder = new JsonFrameDecoder(16);
        assertThatThrownBy(() -> feed(decoder, utf8("{\"a\": \"0123456789abcdef\"}")))
                .isInstanceOf(FrameTooLongException.class)
                .hasMessageContaining("16 bytes");
    }

    @Test
    void oversizedAcrossReadsIsRefusedToo() throws Exception {
        JsonFrameDecoder decoder = new JsonFrameDecoder(16);
        feed(decoder, utf8("{\"a\": \"0123"));
        assertThatThrownBy(() -> feed(decoder, utf8("456789abcdef\"}"))).isInstanceOf(FrameTooLongException.class);
    }

    @Test
    void delimiterDropsAHalfReadObject() throws Exception {
        JsonFrameDecoder decoder = new JsonFrameDecoder(1024);
        feed(decoder, utf8("{\"stale\": \"half"));
        feed(decoder, new byte[] {'x', (byte) 0xFF, '{', '}'});
        assertThat(delimiters).as("the 16 bytes of the half object, x included").containsExactly(16);
        assertThat(frames).containsExactly("{}");
    }
}
