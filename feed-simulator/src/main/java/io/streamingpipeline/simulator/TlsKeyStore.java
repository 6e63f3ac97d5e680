package io.streamingpipeline.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the simulator serves {@code wss://} with: a PKCS#12 key store holding a self-signed certificate for
 * {@code 127.0.0.1} and {@code localhost}, and a PKCS#12 trust store holding only that certificate, for the client.
 * Both have the same password, which {@link #toString()} never shows.
 *
 * @param keyStore   the server's key and certificate
 * @param trustStore the certificate alone, as a trusted entry: what a client's {@code javax.net.ssl.trustStore} names
 * @param password   of both stores
 */
public record TlsKeyStore(Path keyStore, Path trustStore, String password) {

    private static final String ALIAS = "feed-simulator";

    public TlsKeyStore {
        if (keyStore == null || trustStore == null || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("keyStore, trustStore and password must be set");
        }
    }

    /**
     * Creates the two stores in {@code dir} with the JDK's {@code keytool} (an RSA key, valid for a year, subject
     * alternative names {@code IP:127.0.0.1} and {@code DNS:localhost}, so that clients that verify the host accept
     * it) and a random password.
     */
    public static TlsKeyStore selfSigned(Path dir) {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        TlsKeyStore stores = new TlsKeyStore(
                dir.resolve("feed-simulator-key.p12"),
                dir.resolve("feed-simulator-trust.p12"),
                HexFormat.of().formatHex(random));
        Path certificate = dir.resolve("feed-simulator.crt");
        try {
            Files.createDirectories(dir);
            for (Path p : List.of(stores.keyStore, stores.trustStore, certificate)) {
                Files.deleteIfExists(p);
            }
            stores.keytool(
                    "-genkeypair",
                    "-keystore",
                    stores.keyStore.toString(),
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "365",
                    "-dname",
                    "CN=feed-simulator",
                    "-ext",
                    "SAN=IP:127.0.0.1,DNS:localhost");
            stores.keytool(
                    "-exportcert", "-keystore", stores.keyStore.toString(), "-rfc", "-file", certificate.toString());
            stores.keytool(
                    "-importcert",
                    "-noprompt",
                    "-keystore",
                    stores.trustStore.toString(),
                    "-file",
                    certificate.toString());
            return stores;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a TLS key store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The JVM options that make a JVM's default trust (the JDK's {@code TrustManagerFactory}) this trust store. */
    public List<String> clientTrustJvmOptions() {
        return List.of(
                "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + password);
    }

    @Override
    public String toString() {
        return "TlsKeyStore[keyStore=" + keyStore + ", trustStore=" + trustStore + ", password=<redacted>]";
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-alias", ALIAS, "-storetype", "PKCS12", "-storepass", password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool " + args[0] + " ran", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " exited with " + process.exitValue() + ": "
                    + output.replace(password, "<redacted>").strip());
        }
    }
}
