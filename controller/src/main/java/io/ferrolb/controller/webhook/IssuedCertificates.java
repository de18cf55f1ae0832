package io.ferrolb.controller.webhook;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a serving certificate it signs, as PEM: what the webhook Secret holds. ECDSA P-256 keys;
 * the serving certificate names the webhook Service's DNS names plus any extra hosts (an IP for
 * a URL-configured webhook in tests).
 */
public record IssuedCertificates(String caCert, String caKey, String tlsCert, String tlsKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Issues both certificates, valid from a minute ago for {@code validity}. */
    public static IssuedCertificates issue(List<String> hosts, Duration validity, Instant now) {
        try {
            KeyPair ca = ecKeyPair();
            KeyPair tls = ecKeyPair();
            Date from = Date.from(now.minus(Duration.ofMinutes(1)));
            Date to = Date.from(now.plus(validity));
            X500Name caName = new X500Name("O=ferrolb,CN=ferrolb-webhook-ca");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to, caName,
                    ca.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(caBuilder, ca);
            X509v3CertificateBuilder tlsBuilder = new JcaX509v3CertificateBuilder(caName, serial(), from, to,
                    new X500Name("O=ferrolb,CN=" + hosts.get(0)), tls.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hosts));
            X509Certificate tlsCert = sign(tlsBuilder, ca);
            return new IssuedCertificates(
                    Pem.encode("CERTIFICATE", caCert.getEncoded()), Pem.encode("PRIVATE KEY", ca.getPrivate().getEncoded()),
                    Pem.encode("CERTIFICATE", tlsCert.getEncoded()), Pem.encode("PRIVATE KEY", tls.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue webhook certificates", e);
        }
    }

    private static GeneralNames subjectAltNames(List<String> hosts) throws UnknownHostException {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            boolean literal = host.matches("[0-9.]+") || host.contains(":");
            names.add(literal
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }
}
