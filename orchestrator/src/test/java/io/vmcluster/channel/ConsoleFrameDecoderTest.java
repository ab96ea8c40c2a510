package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.channel.ConsoleFrameDecoder.Frame;
import io.vmcluster.channel.ConsoleFrameDecoder.Garbled;
import io.vmcluster.channel.ConsoleFrameDecoder.Reply;
import io.vmcluster.channel.ConsoleFrameDecoder.Sync;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConsoleFrameDecoderTest {
    private static final String TOKEN = "0123456789abcdef";
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> noise = new ArrayList<>();
    private final ConsoleFrameDecoder decoder = new ConsoleFrameDecoder(frames::add, noise::add);

    /** What the guest wrapper prints, with the tty's CRLF. */
    static byte[] reply(String token, int exit, boolean timedOut, byte[] out, byte[] err) {
        StringBuilder s = new StringBuilder();
        s.append("\nVMC-BEGIN ")
                .append(token)
                .append(' ')
                .append(exit)
                .append(' ')
                .append(timedOut ? 1 : 0)
                .append(' ')
                .append(out.length)
                .append(' ')
                .append(err.length)
                .append('\n');
        appendWrapped(s, out);
        s.append("VMC-SEP ").append(token).append('\n');
        appendWrapped(s, err);
        s.append("VMC-END ").append(token).append('\n');
        return s.toString().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendWrapped(StringBuilder s, byte[] data) {
        String b64 = Base64.getEncoder().encodeToString(data);
        for (int i = 0; i < b64.length(); i += 76) {
            s.append(b64, i, Math.min(b64.length(), i + 76)).append('\n');
        }
    }

    private void feed(byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length);
    }

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesAReplyWithSeparateStdoutAndStderr() {
        feed(reply(TOKEN, 3, false, "out\n".getBytes(), "err\n".getBytes()));

        assertThat(frames).hasSize(1);
        Reply r = (Reply) frames.get(0);
        assertThat(r.token()).isEqualTo(TOKEN);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.stdout()).asString().isEqualTo("out\n");
        assertThat(r.stderr()).asString().isEqualTo("err\n");
        assertThat(noise)
                .as("the blank line before the header is the only noise")
                .containsOnly("");
    }

    @Test
    void emptyOutputAndTimeoutFlag() {
        feed(reply(TOKEN, 137, true, new byte[0], new byte[0]));

        Reply r = (Reply) frames.get(0);
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void everySplitOfTheStreamGivesTheSameReply() {
        String out = "hello\r\nVMC-END " + TOKEN + "\n";
        byte[] bytes = concat("stale junk\r\n~ # ".getBytes(), reply(TOKEN, 0, false, out.getBytes(), "e".getBytes()));
        for (int split = 0; split <= bytes.length; split++) {
            frames.clear();
            ConsoleFrameDecoder d = new ConsoleFrameDecoder(frames::add, s -> {});
            d.feed(bytes, 0, split);
            d.feed(bytes, split, bytes.length - split);
            assertThat(frames).as("split at %d", split).hasSize(1);
            assertThat(((Reply) frames.get(0)).stdout())
                    .as("split at %d", split)
                    .isEqualTo(out.getBytes());
        }
    }

    @Test
    void byteByByteFeedingWorks() {
        byte[] bytes = reply(TOKEN, 1, false, "x".repeat(1000).getBytes(), new byte[0]);
        for (byte b : bytes) {
            decoder.feed(new byte[] {b}, 0, 1);
        }
        assertThat(((Reply) frames.get(0)).stdout()).hasSize(1000);
    }

    @Test
    void binaryOutputSurvivesIntact() {
        byte[] out = new byte[256 * 1024];
        new Random(42).nextBytes(out);
        byte[] err = new byte[256];
        for (int i = 0; i < err.length; i++) {
            err[i] = (byte) i;
        }
        feed(reply(TOKEN, 0, false, out, err));

        Reply r = (Reply) frames.get(0);
        assertThat(r.stdout()).isEqualTo(out);
        assertThat(r.stderr()).isEqualTo(err);
    }

    @Test
    void markersInsideTheOutputDoNotConfuseIt() {
        String evil = "VMC-BEGIN " + TOKEN + " 9 0 1 1\nVMC-SEP " + TOKEN + "\nVMC-END " + TOKEN + "\nVMC-SYNC " + TOKEN
                + "\n";
        feed(reply(TOKEN, 0, false, evil.getBytes(), evil.getBytes()));

        assertThat(frames).hasSize(1);
        Reply r = (Reply) frames.get(0);
        assertThat(r.stdout()).asString().isEqualTo(evil);
        assertThat(r.stderr()).asString().isEqualTo(evil);
    }

    @Test
    void staleJunkAndAPromptBeforeTheHeaderGoToNoise() {
        feed("[    3.1] virtio_net virtio0 eth0: renamed\r\n");
        feed("half a line from before we connected");
        feed("\r\n~ # ");
        feed(reply(TOKEN, 0, false, "ok".getBytes(), new byte[0]));

        assertThat(frames).hasSize(1);
        assertThat(noise)
                .contains("[    3.1] virtio_net virtio0 eth0: renamed", "half a line from before we connected", "~ # ");
    }

    @Test
    void aHeaderRightAfterAPromptOnTheSameLineIsFound() {
        byte[] r = reply(TOKEN, 0, false, "ok".getBytes(), new byte[0]);
        // Drop the leading CRLF so the header shares a line with the prompt.
        byte[] noNewline = java.util.Arrays.copyOfRange(r, 2, r.length);
        feed(concat("~ # ".getBytes(), noNewline));

        assertThat(frames).hasSize(1);
        assertThat(noise).contains("~ # ");
    }

    @Test
    void anInterleavedLineInsideAFrameIsNoiseAndTheLengthCheckCatchesLoss() {
        String r =
                new String(reply(TOKEN, 0, false, "x".repeat(200).getBytes(), new byte[0]), StandardCharsets.US_ASCII);
        int cut = r.indexOf("eHh4") + 10; // inside the first base64 line
        feed(r.substring(0, cut) + "[ 12.0] kernel says hi\r\n" + r.substring(cut));

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0))
                .as("a half line of base64 lost to noise is detected")
                .isInstanceOf(Garbled.class);
    }

    @Test
    void aWholeNoiseLineInsideAFrameIsSkipped() {
        byte[] out = "y".repeat(300).getBytes();
        String r = new String(reply(TOKEN, 0, false, out, new byte[0]), StandardCharsets.US_ASCII);
        int nextLine = r.indexOf("\r\n", r.indexOf("eXl5")) + 2;
        feed(r.substring(0, nextLine) + "[ 12.0] kernel says hi\r\n" + r.substring(nextLine));

        assertThat(((Reply) frames.get(0)).stdout()).isEqualTo(out);
        assertThat(noise).contains("[ 12.0] kernel says hi");
    }

    @Test
    void aReplyCutOffByTheNextIsReportedAndTheNextStillDecodes() {
        String other = "fedcba9876543210";
        String first = new String(reply(TOKEN, 0, false, "a".repeat(100).getBytes(), new byte[0]));
        feed(first.substring(0, first.indexOf("VMC-SEP")));
        feed(reply(other, 5, false, "b".getBytes(), new byte[0]));

        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isEqualTo(new Garbled(TOKEN, "reply cut off by the start of another reply"));
        assertThat(((Reply) frames.get(1)).token()).isEqualTo(other);
    }

    @Test
    void syncAnswersAreFramesEvenAfterAPrompt() {
        feed("~ # VMC-SYNC " + TOKEN + "\r\n");
        assertThat(frames).containsExactly(new Sync(TOKEN));
    }

    @Test
    void theEchoedSyncCommandIsNotASyncAnswer() {
        feed("stty -echo 2>/dev/null; PS1= PS2=; printf 'VMC-%s %s\\n' SYNC " + TOKEN + "\r\n");
        assertThat(frames).isEmpty();
    }

    @Nested
    class Bounds {
        @Test
        void anEndlessNoiseLineIsHandedOutInPieces() {
            feed("z".repeat(ConsoleFrameDecoder.MAX_LINE * 3));
            assertThat(noise).hasSize(3).allSatisfy(s -> assertThat(s).hasSize(ConsoleFrameDecoder.MAX_LINE));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }
}
