import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Run by tools/images/check.sh inside an unpacked image, with the image's lib/ on the class path:
 * loads what the binaries load only later, against a real cluster. "tls": the key exchanges and
 * certificates an API server's TLS needs (jdk.crypto.ec) and the runtime's trust store; "pcap":
 * libpcap through pcap4j and JNA, as the speaker's ARP/NDP wire does. Sends nothing anywhere.
 */
public final class ImageProbe {

    public static void main(String[] args) throws Exception {
        for (String check : args) {
            switch (check) {
                case "tls" -> tls();
                case "pcap" -> pcap();
                default -> throw new IllegalArgumentException("unknown check " + check);
            }
        }
    }

    private static void tls() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ec.generateKeyPair();
        KeyAgreement.getInstance("X25519");
        KeyAgreement.getInstance("ECDH");
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, null, null);
        String[] protocols = context.createSSLEngine().getEnabledProtocols();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        int anchors = ((X509TrustManager) trust.getTrustManagers()[0]).getAcceptedIssuers().length;
        System.out.println("tls: EC keys, X25519 and ECDH; protocols " + String.join(",", protocols)
                + "; " + anchors + " trusted CA certificates");
    }

    /** Through reflection: the controller's lib/, which the probe is compiled against, has no pcap4j. */
    private static void pcap() throws Exception {
        Class<?> pcaps = Class.forName("org.pcap4j.core.Pcaps");
        Object version = pcaps.getMethod("libVersion").invoke(null);
        Object devices = pcaps.getMethod("findAllDevs").invoke(null);
        System.out.println("pcap: " + version + "; " + ((java.util.List<?>) devices).size() + " capture devices");
    }
}
