package io.vmcluster.channel;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A throwaway ed25519 key pair, made fresh for each run and never written outside the run: the
 * guests get the public half on their kernel command line ({@code vmc.ssh_key=}{@link
 * #kernelParamValue()}), the host keeps the private half in memory for {@link SshChannel}.
 */
public final class SshKeys {
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final String authorizedKeysLine;

    private SshKeys(byte[] privateKey, byte[] publicKey, String authorizedKeysLine) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.authorizedKeysLine = authorizedKeysLine;
    }

    /** Generates a new ed25519 pair (Java's own EdDSA; no extra provider needed on Java 17). */
    public static SshKeys generate() {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ED25519);
            ByteArrayOutputStream prv = new ByteArrayOutputStream();
            pair.writeOpenSSHv1PrivateKey(prv, null);
            ByteArrayOutputStream pub = new ByteArrayOutputStream();
            pair.writePublicKey(pub, "vmcluster-run");
            pair.dispose();
            String line = pub.toString(StandardCharsets.US_ASCII).trim();
            return new SshKeys(prv.toByteArray(), pub.toByteArray(), line);
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate an ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the private key in OpenSSH's format to {@code file}, readable by its owner only
     * (created 0600), for an {@code ssh -i} of a person's shell into a guest.
     */
    public void writePrivateKey(java.nio.file.Path file) {
        try {
            java.nio.file.Files.deleteIfExists(file);
            java.nio.file.Files.createFile(
                    file,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            java.nio.file.Files.write(file, privateKey);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the SSH key to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The public key as one {@code authorized_keys} line: {@code ssh-ed25519 AAAA... vmcluster-run}. */
    public String authorizedKeysLine() {
        return authorizedKeysLine;
    }

    /** Base64 of {@link #authorizedKeysLine()}: the value of the guest's {@code vmc.ssh_key} parameter. */
    public String kernelParamValue() {
        return Base64.getEncoder().encodeToString(authorizedKeysLine.getBytes(StandardCharsets.US_ASCII));
    }

    /** Registers the private key with a JSch instance. */
    void addTo(JSch jsch) throws JSchException {
        jsch.addIdentity("vmcluster-run", privateKey.clone(), publicKey.clone(), null);
    }

    @Override
    public String toString() {
        return "SshKeys[" + authorizedKeysLine + "]";
    }
}
