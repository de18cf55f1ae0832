package io.ferrolb.speaker.membership;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869): extract, then expand to the requested length. */
final class Hkdf {

    private static final int HASH_BYTES = 32;

    private Hkdf() {
    }

    /**
     * @param salt the extract salt; empty means HashLen zero bytes, as the RFC says
     * @param ikm the input keying material
     * @param info context binding the output to one use
     * @param length output bytes, at most 255 × 32
     */
    static byte[] sha256(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 output length out of range: " + length);
        }
        try {
            // javax.crypto refuses an empty HMAC key, so the RFC's default salt is spelled out.
            byte[] prk = hmac(salt.length == 0 ? new byte[HASH_BYTES] : salt, ikm);
            byte[] okm = new byte[length];
            byte[] block = new byte[0];
            for (int i = 0, filled = 0; filled < length; i++) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(prk, "HmacSHA256"));
                mac.update(block);
                mac.update(info);
                mac.update((byte) (i + 1));
                block = mac.doFinal();
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, okm, filled, n);
                filled += n;
            }
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
