package dev.timon.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The cluster's certificate authority, kept as PEM files in a folder (.timon/pki): made on first start,
 * reused after. It issues serving certificates (API server, node agents) and client certificates.
 */
public final class ClusterCa {

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(365);

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private ClusterCa(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** Loads ca.crt/ca.key from {@code dir}, creating them the first time. */
    public static ClusterCa loadOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path crt = dir.resolve("ca.crt");
            Path keyFile = dir.resolve("ca.key");
            if (Files.exists(crt) && Files.exists(keyFile)) {
                return new ClusterCa(dir, readCertificate(crt), readKey(keyFile));
            }
            KeyPair pair = newKeyPair();
            X500Name name = new X500Name("CN=timon-ca");
            JcaX509v3CertificateBuilder builder = builder(name, name, pair, CA_LIFETIME);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            X509Certificate cert = sign(builder, pair.getPrivate());
            write(crt, pem(cert));
            writePrivate(keyFile, pem(pair.getPrivate()));
            return new ClusterCa(dir, cert, pair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path certificatePath() {
        return dir.resolve("ca.crt");
    }

    /**
     * Ensures {@code <name>.crt}/{@code <name>.key} exist in the PKI folder, issued by this CA for the given
     * DNS names and IP addresses, valid for serving ({@code server}) and/or as a client.
     * An existing pair is reused when it already covers the names.
     */
    public Path[] ensureCertificate(String name, String commonName, List<String> organizations, List<String> dnsNames,
                                    List<String> ips, boolean server, boolean client) {
        Path crt = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        try {
            String wanted = String.join(",", dnsNames) + "|" + String.join(",", ips);
            Path stamp = dir.resolve(name + ".names");
            if (Files.exists(crt) && Files.exists(keyFile) && Files.exists(stamp) && Files.readString(stamp).equals(wanted)) {
                return new Path[] {crt, keyFile};
            }
            KeyPair pair = newKeyPair();
            StringBuilder subject = new StringBuilder("CN=" + commonName);
            organizations.forEach(o -> subject.append(",O=").append(o));
            JcaX509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
                    new X500Name(subject.toString()), pair, LEAF_LIFETIME);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (server) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (client) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            for (String ip : ips) {
                names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate cert = sign(builder, key);
            write(crt, pem(cert));
            writePrivate(keyFile, pem(pair.getPrivate()));
            write(stamp, wanted);
            return new Path[] {crt, keyFile};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random bearer token stored in {@code <name>.token}, made the first time it is asked for. */
    public String ensureToken(String name) {
        Path file = dir.resolve(name + ".token");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            StringBuilder token = new StringBuilder();
            for (byte b : random) {
                token.append(String.format("%02x", b));
            }
            writePrivate(file, token.toString());
            return token.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Duration lifetime) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime)), subject, pair.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withRSA").build(signer);
            X509CertificateHolder holder = builder.build(contentSigner);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object value) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(value instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : value);
        }
        return out.toString();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return parsed instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) parsed);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
