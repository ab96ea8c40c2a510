package io.vmcluster.repl;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code System.exit} in a REPL snippet: the snippet runs in the cluster's supervisor, where it
 * would end the supervisor and with it the cluster. {@link #redirect} rewrites a snippet's class
 * file so that its calls of {@code System.exit(int)} (and {@code System::exit} references) call
 * {@link #exit} instead, which throws. Only the class of each such method reference changes: one
 * new class constant is appended to the constant pool, nothing else in the file moves.
 * {@code Runtime.exit}, {@code Runtime.halt} and reflection are not caught.
 */
public final class SnippetExit {
    private static final String SYSTEM = "java/lang/System";
    private static final String SELF = SnippetExit.class.getName().replace('.', '/');

    private SnippetExit() {}

    /** What a snippet's {@code System.exit(status)} calls. */
    public static void exit(int status) {
        throw new IllegalStateException("System.exit(" + status + ") in a snippet would end the cluster's supervisor"
                + " (and the cluster); /exit leaves the repl, vmcluster down stops the cluster");
    }

    /** The class file with its {@code System.exit(int)} method references pointing here (unchanged if none). */
    public static byte[] redirect(byte[] classFile) {
        try {
            return rewrite(classFile);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a snippet's class file", e);
        }
    }

    private static byte[] rewrite(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
        int magicAndVersion = 8;
        in.skipBytes(magicAndVersion);
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] tag = new int[count];
        int[] a = new int[count];
        int[] b = new int[count];
        int[] offset = new int[count];
        for (int i = 1; i < count; i++) {
            offset[i] = classFile.length - in.available();
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
                case 15 -> {
                    a[i] = in.readUnsignedByte();
                    b[i] = in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> {
                    a[i] = in.readUnsignedShort();
                    b[i] = in.readUnsignedShort();
                }
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // eight-byte constants take two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag[i] + " at entry " + i);
            }
        }
        int poolEnd = classFile.length - in.available();
        List<Integer> calls = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tag[i] == 10
                    && tag[a[i]] == 7
                    && SYSTEM.equals(utf8[a[a[i]]])
                    && "exit".equals(utf8[a[b[i]]])
                    && "(I)V".equals(utf8[b[b[i]]])) {
                calls.add(i);
            }
        }
        if (calls.isEmpty()) return classFile;
        byte[] out = classFile.clone();
        int name = count;
        int cls = count + 1;
        for (int i : calls) {
            // Methodref: tag, class_index (u2), name_and_type_index (u2)
            out[offset[i] + 1] = (byte) (cls >> 8);
            out[offset[i] + 2] = (byte) cls;
        }
        ByteArrayOutputStream result = new ByteArrayOutputStream(classFile.length + SELF.length() + 8);
        DataOutputStream d = new DataOutputStream(result);
        d.write(out, 0, magicAndVersion);
        d.writeShort(count + 2);
        d.write(out, magicAndVersion + 2, poolEnd - magicAndVersion - 2);
        d.writeByte(1);
        d.writeUTF(SELF);
        d.writeByte(7);
        d.writeShort(name);
        d.write(out, poolEnd, out.length - poolEnd);
        d.flush();
        return result.toByteArray();
    }
}
