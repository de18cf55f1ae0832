package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrolb.speaker.membership.MessageSealer.Unsealed;
import io.ferrolb.speaker.membership.MessageSealer.Unsealed.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSealerTest {

    private static final byte[] SECRET = "kXq3v9ZP0rUe1mN2bT7wYg".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN = "{\"headers\":{\"q\":\"sc/membership/sync\"},\"data\":null}"
            .getBytes(StandardCharsets.UTF_8);

    private final MessageSealer sealer = MessageSealer.fromSecret(SECRET);

    @Test
    void roundTrip() {
        byte[] sealed = sealer.seal(PLAIN);

        assertThat(sealed).hasSize(PLAIN.length + MessageSealer.OVERHEAD);
        assertThat(sealed[0]).isEqualTo(MessageSealer.VERSION);
        assertThat(opened(sealer.open(sealed))).isEqualTo(PLAIN);
    }

    @Test
    void emptyMessageRoundTrips() {
        assertThat(opened(sealer.open(sealer.seal(new byte[0])))).isEmpty();
    }

    @Test
    void ciphertextHidesThePlaintextAndNoncesDiffer() {
        byte[] first = sealer.seal(PLAIN);
        byte[] second = sealer.seal(PLAIN);

        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("sc/membership");
        assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
        assertThat(first).isNotEqualTo(second);
    }

    /** Every region: nonce, ciphertext body, last tag byte. */
    @ParameterizedTest
    @ValueSource(ints = {1, 12, 13, 20, -1})
    void anyTamperedByteIsRejected(int index) {
        byte[] sealed = sealer.seal(PLAIN);
        int at = index < 0 ? sealed.length + index : index;
        sealed[at] ^= 0x01;

        assertThat(sealer.open(sealed)).isEqualTo(new Unsealed.Rejected(Reason.NOT_AUTHENTIC));
    }

    @Test
    void theVersionByteIsCheckedAndAuthenticated() {
        byte[] sealed = sealer.seal(PLAIN);
        sealed[0] = 2;

        assertThat(sealer.open(sealed)).isEqualTo(new Unsealed.Rejected(Reason.UNKNOWN_VERSION));
    }

    @Test
    void anotherKeyIsRejected() {
        MessageSealer other = MessageSealer.fromSecret("AAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII));

        assertThat(other.open(sealer.seal(PLAIN))).isEqualTo(new Unsealed.Rejected(Reason.NOT_AUTHENTIC));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 13, 28})
    void truncatedBelowTheOverheadIsRejected(int length) {
        byte[] sealed = Arrays.copyOf(sealer.seal(PLAIN), length);

        assertThat(sealer.open(sealed)).isEqualTo(new Unsealed.Rejected(Reason.TRUNCATED));
    }

    @Test
    void truncatedTailIsRejected() {
        byte[] sealed = sealer.seal(PLAIN);

        assertThat(sealer.open(Arrays.copyOf(sealed, sealed.length - 1)))
                .isEqualTo(new Unsealed.Rejected(Reason.NOT_AUTHENTIC));
    }

    @Test
    void plaintextFromAnUnsealedPeerIsRejected() {
        assertThat(sealer.open(PLAIN)).isEqualTo(new Unsealed.Rejected(Reason.UNKNOWN_VERSION));
    }

    @Test
    void surroundingWhitespaceOfTheSecretFileDoesNotChangeTheKey() {
        byte[] withNewline = (new String(SECRET, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII);

        assertThat(MessageSealer.deriveKey(withNewline)).isEqualTo(MessageSealer.deriveKey(SECRET));
        assertThat(opened(MessageSealer.fromSecret(withNewline).open(sealer.seal(PLAIN)))).isEqualTo(PLAIN);
    }

    @Test
    void keyIsHkdfSha256OfTheSecretWithTheFerrolbInfo() {
        byte[] expected = Hkdf.sha256(new byte[0], SECRET,
                "ferrolb speaker membership AES-256-GCM v1".getBytes(StandardCharsets.US_ASCII), 32);

        assertThat(MessageSealer.deriveKey(SECRET)).hasSize(32).isEqualTo(expected);
    }

    @Test
    void tooShortSecretsAreRefused() {
        assertThatThrownBy(() -> MessageSealer.fromSecret("short\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
    }

    /** RFC 5869 appendix A, test cases 1 and 3 (the latter with the default, empty salt). */
    @Test
    void hkdfMatchesTheRfcVectors() {
        HexFormat hex = HexFormat.of();
        byte[] okm1 = Hkdf.sha256(hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("0b".repeat(22)),
                hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        byte[] okm3 = Hkdf.sha256(new byte[0], hex.parseHex("0b".repeat(22)), new byte[0], 42);

        assertThat(hex.formatHex(okm1)).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        assertThat(hex.formatHex(okm3)).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    private static byte[] opened(Unsealed unsealed) {
        assertThat(unsealed).isInstanceOf(Unsealed.Opened.class);
        return ((Unsealed.Opened) unsealed).plaintext();
    }
}
