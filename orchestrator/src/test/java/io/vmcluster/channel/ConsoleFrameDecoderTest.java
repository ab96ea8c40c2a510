package io.vmcluster.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmcluster.channel.ConsoleFrameDecoder.Chunk;
import io.vmcluster.channel.ConsoleFrameDecoder.End;
import io.vmcluster.channel.ConsoleFrameDecoder.Frame;
import io.vmcluster.channel.ConsoleFrameDecoder.Garbled;
import io.vmcluster.channel.ConsoleFrameDecoder.Header;
import io.vmcluster.channel.ConsoleFrameDecoder.Sync;
import io.vmcluster.channel.ConsoleReplyAssembler.Ack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The console framing: decoder and reply assembly, fed the way a tty delivers bytes. */
class ConsoleFrameDecoderTest {
    private static final String TOKEN = "0123456789abcdef";
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> noise = new ArrayList<>();
    private final ConsoleFrameDecoder decoder = new ConsoleFrameDecoder(frames::add, noise::add);

    /** What the guest wrapper prints for a whole reply (assuming every chunk is acked), with CRLF. */
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
        appendChunks(s, token, 'o', out);
        appendChunks(s, token, 'e', err);
        s.append("VMC-END ").append(token).append('\n');
        return s.toString().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendChunks(StringBuilder s, String token, char stream, byte[] data) {
        for (int i = 0; (long) i * GuestScript.CHUNK < data.length; i++) {
            byte[] part =
                    Arrays.copyOfRange(data, i * GuestScript.CHUNK, Math.min(data.length, (i + 1) * GuestScript.CHUNK));
            s.append("VMC-CHUNK ")
                    .append(token)
                    .append(' ')
                    .append(stream)
                    .append(' ')
                    .append(i)
                    .append('\n');
            String b64 = Base64.getEncoder().encodeToString(part);
            for (int j = 0; j < b64.length(); j += 76) {
                s.append(b64, j, Math.min(b64.length(), j + 76)).append('\n');
            }
            s.append("VMC-CHUNK-END ").append(token).append('\n');
        }
    }

    private void feed(byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length);
    }

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs the frames through an assembler as the channel does; fails if it wants a resend. */
    private ConsoleReplyAssembler.Reply assemble(String token, List<Frame> fs) {
        ConsoleReplyAssembler a = new ConsoleReplyAssembler(token);
        for (Frame f : fs) {
            assertThat(a.accept(f)).as("answer to %s", f).isNotEqualTo(Ack.RESEND);
        }
        assertThat(a.reply()).as("complete reply").isNotNull();
        return a.reply();
    }

    @Test
    void decodesAReplyWithSeparateStdoutAndStderr() {
        feed(reply(TOKEN, 3, false, "out\n".getBytes(), "err\n".getBytes()));

        assertThat(frames).hasSize(4).first().isEqualTo(new Header(TOKEN, 3, false, 4, 4));
        ConsoleReplyAssembler.Reply r = assemble(TOKEN, frames);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.stdout()).asString().isEqualTo("out\n");
        assertThat(r.stderr()).asString().isEqualTo("err\n");
        assertThat(noise).as("blank lines are not worth logging").isEmpty();
    }

    @Test
    void emptyOutputAndTimeoutFlag() {
        feed(reply(TOKEN, 137, true, new byte[0], new byte[0]));

        assertThat(frames).containsExactly(new Header(TOKEN, 137, true, 0, 0), new End(TOKEN));
        ConsoleReplyAssembler.Reply r = assemble(TOKEN, frames);
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void everySplitOfTheStreamGivesTheSameReply() {
        String out = "hello\r\nVMC-END " + TOKEN + "\n";
        byte[] bytes = concat("stale junk\r\n~ # ".getBytes(), reply(TOKEN, 0, false, out.getBytes(), "e".getBytes()));
        for (int split = 0; split <= bytes.length; split++) {
            List<Frame> fs = new ArrayList<>();
            ConsoleFrameDecoder d = new ConsoleFrameDecoder(fs::add, s -> {});
            d.feed(bytes, 0, split);
            d.feed(bytes, split, bytes.length - split);
            assertThat(assemble(TOKEN, fs).stdout()).as("split at %d", split).isEqualTo(out.getBytes());
        }
    }

    @Test
    void byteByByteFeedingWorks() {
        byte[] bytes = reply(TOKEN, 1, false, "x".repeat(1000).getBytes(), new byte[0]);
        for (byte b : bytes) {
            decoder.feed(new byte[] {b}, 0, 1);
        }
        assertThat(assemble(TOKEN, frames).stdout()).hasSize(1000);
    }

    @Test
    void binaryOutputOfManyChunksSurvivesIntact() {
        byte[] out = new byte[5 * GuestScript.CHUNK + 17];
        new Random(42).nextBytes(out);
        byte[] err = new byte[256];
        for (int i = 0; i < err.length; i++) {
            err[i] = (byte) i;
        }
        feed(reply(TOKEN, 0, false, out, err));

        assertThat(frames.stream().filter(f -> f instanceof Chunk)).hasSize(7);
        ConsoleReplyAssembler.Reply r = assemble(TOKEN, frames);
        assertThat(r.stdout()).isEqualTo(out);
        assertThat(r.stderr()).isEqualTo(err);
    }

    @Test
    void markersInsideTheOutputDoNotConfuseIt() {
        String evil = "VMC-BEGIN " + TOKEN + " 9 0 1 1\nVMC-CHUNK " + TOKEN + " o 0\nVMC-CHUNK-END " + TOKEN
                + "\nVMC-END " + TOKEN + "\nVMC-SYNC " + TOKEN + "\n";
        feed(reply(TOKEN, 0, false, evil.getBytes(), evil.getBytes()));

        ConsoleReplyAssembler.Reply r = assemble(TOKEN, frames);
        assertThat(r.stdout()).asString().isEqualTo(evil);
        assertThat(r.stderr()).asString().isEqualTo(evil);
    }

    @Test
    void staleJunkAndAPromptBeforeTheHeaderGoToNoise() {
        feed("[    3.1] virtio_net virtio0 eth0: renamed\r\n");
        feed("half a line from before we connected");
        feed("\r\n~ # ");
        feed(reply(TOKEN, 0, false, "ok".getBytes(), new byte[0]));

        assertThat(assemble(TOKEN, frames).stdout()).asString().isEqualTo("ok");
        assertThat(noise)
                .containsExactly(
                        "[    3.1] virtio_net virtio0 eth0: renamed", "half a line from before we connected", "~ # ");
    }

    @Test
    void aHeaderRightAfterAPromptOnTheSameLineIsFound() {
        byte[] r = reply(TOKEN, 0, false, "ok".getBytes(), new byte[0]);
        feed(concat("~ # ".getBytes(), Arrays.copyOfRange(r, 2, r.length))); // no newline before the header

        assertThat(assemble(TOKEN, frames).stdout()).asString().isEqualTo("ok");
        assertThat(noise).containsExactly("~ # ");
    }

    @Test
    void staleRepliesOfOtherTokensAreIgnoredByTheAssembler() {
        feed(reply("fedcba9876543210", 5, false, "old".getBytes(), new byte[0]));
        feed(reply(TOKEN, 0, false, "new".getBytes(), new byte[0]));

        assertThat(assemble(TOKEN, frames).stdout()).asString().isEqualTo("new");
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
    class Damage {
        private final byte[] data = "y".repeat(300).getBytes();

        private String wire() {
            return new String(reply(TOKEN, 0, false, data, new byte[0]), StandardCharsets.US_ASCII);
        }

        @Test
        void aWholeNoiseLineInsideAChunkIsSkipped() {
            String r = wire();
            int nextLine = r.indexOf("\r\n", r.indexOf("eXl5")) + 2;
            feed(r.substring(0, nextLine) + "[ 12.0] kernel says hi\r\n" + r.substring(nextLine));

            assertThat(assemble(TOKEN, frames).stdout()).isEqualTo(data);
            assertThat(noise).containsExactly("[ 12.0] kernel says hi");
        }

        @Test
        void aChunkThatLostBytesIsAskedForAgainAndTheResendIsUsed() {
            String r = wire();
            int cut = r.indexOf("eXl5");
            String damaged = r.substring(0, cut) + r.substring(cut + 8); // 8 base64 chars dropped
            int chunkEnd = damaged.indexOf("VMC-CHUNK-END");
            int lineEnd = damaged.indexOf("\r\n", chunkEnd) + 2;
            String firstTry = damaged.substring(0, lineEnd);
            String good = wire();
            String resent = good.substring(good.indexOf("VMC-CHUNK "));

            ConsoleReplyAssembler a = new ConsoleReplyAssembler(TOKEN);
            feed(firstTry);
            List<Ack> acks = new ArrayList<>();
            frames.forEach(f -> acks.add(a.accept(f)));
            frames.clear();
            feed(resent);
            frames.forEach(f -> acks.add(a.accept(f)));

            assertThat(acks).containsExactly(Ack.NONE, Ack.RESEND, Ack.NEXT, Ack.NONE);
            assertThat(a.reply().stdout()).isEqualTo(data);
        }

        @Test
        void aLostChunkEndIsReportedAsGarbledAndAnsweredWithAResend() {
            String r = wire();
            int chunkEnd = r.indexOf("VMC-CHUNK-END");
            int lineEnd = r.indexOf("\r\n", chunkEnd) + 2;
            feed(r.substring(0, chunkEnd) + r.substring(lineEnd)); // END line lost; VMC-END follows

            assertThat(frames).hasAtLeastOneElementOfType(Garbled.class);
            ConsoleReplyAssembler a = new ConsoleReplyAssembler(TOKEN);
            assertThat(a.accept(frames.get(0))).isEqualTo(Ack.NONE);
            assertThat(a.accept(frames.get(1))).isEqualTo(Ack.RESEND);
        }

        @Test
        void aLostHeaderIsAProtocolError() {
            String r = wire();
            feed(r.substring(r.indexOf("VMC-CHUNK ")));
            ConsoleReplyAssembler a = new ConsoleReplyAssembler(TOKEN);
            assertThatThrownBy(() -> frames.forEach(a::accept))
                    .isInstanceOf(ConsoleReplyAssembler.ProtocolException.class)
                    .hasMessageContaining("header");
        }

        @Test
        void repeatedDamageGivesUp() {
            ConsoleReplyAssembler a = new ConsoleReplyAssembler(TOKEN);
            a.accept(new Header(TOKEN, 0, false, 3, 0));
            Chunk bad = new Chunk(TOKEN, 'o', 0, new byte[2]);
            for (int i = 0; i < ConsoleReplyAssembler.MAX_RESENDS; i++) {
                assertThat(a.accept(bad)).isEqualTo(Ack.RESEND);
            }
            assertThatThrownBy(() -> a.accept(bad)).hasMessageContaining("resends");
        }
    }

    @Nested
    class Bounds {
        @Test
        void anEndlessNoiseLineIsHandedOutInPieces() {
            feed("z".repeat(ConsoleFrameDecoder.MAX_LINE * 3));
            assertThat(noise).hasSize(3).allSatisfy(s -> assertThat(s).hasSize(ConsoleFrameDecoder.MAX_LINE));
        }

        @Test
        void anEndlessChunkIsCutOff() {
            feed("VMC-CHUNK " + TOKEN + " o 0\n");
            String line = "A".repeat(76) + "\n";
            feed(line.repeat(ConsoleFrameDecoder.MAX_CHUNK_TEXT / 76 + 2));
            assertThat(frames).hasSize(1).first().isInstanceOf(Garbled.class);
            assertThat(decoder.insideChunk()).isFalse();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }
}
