package io.ferrolb.speaker.membership;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals membership messages with AES-256-GCM under a key derived from the membership Secret.
 *
 * <p>Wire format of a sealed message: {@code version (1 byte, = 1) ‖ nonce (12 random bytes) ‖
 * ciphertext ‖ GCM tag (16 bytes)}; the version byte is the additional authenticated data, so a
 * future format cannot be confused with this one.
 *
 * <p>Key: HKDF-SHA256 (RFC 5869) with a zero salt, the Secret file's bytes (surrounding ASCII
 * whitespace trimmed, so a hand-made file ending in a newline gives the same key) as input keying
 * material and {@value #INFO} as info; 32 bytes of output. This is deliberately not memberlist's
 * derivation (docs/compatibility.md §3.3): ferrolb speakers only talk to each other.
 *
 * <p>Random 96-bit nonces bound a key to about 2^32 messages (NIST SP 800-38D); a speaker sends some
 * 20–40 messages per second with {@link SwimTimers#ferrolb()}, so a 10-node group reaches that after
 * months. Rotating the Secret resets the count; a per-sender subkey would be the next format version.
 * Replays of captured messages are not detected (neither does memberlist); SWIM's incarnation numbers
 * make old records lose against newer ones.
 */
public final class MessageSealer {

    /** The HKDF info string: binds the key to this use and this format. */
    public static final String INFO = "ferrolb speaker membership AES-256-GCM v1";
    static final byte VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;
    private static final int MIN_SECRET_BYTES = 16;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private MessageSealer(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /** A sealer for the Secret's file content ({@code secretkey}: 22 base64 characters from the controller). */
    public static MessageSealer fromSecret(byte[] secret) {
        return new MessageSealer(deriveKey(secret), new SecureRandom());
    }

    /** Reads the mounted Secret file. */
    public static MessageSealer fromSecretFile(Path file) throws IOException {
        return fromSecret(Files.readAllBytes(file));
    }

    /** The AES-256 key for a Secret: HKDF-SHA256(salt = 32 zero bytes, ikm = trimmed secret, info = {@value #INFO}). */
    static byte[] deriveKey(byte[] secret) {
        byte[] ikm = trim(secret);
        if (ikm.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the membership secret has " + ikm.length
                    + " bytes; at least " + MIN_SECRET_BYTES + " are required");
        }
        return Hkdf.sha256(new byte[0], ikm, INFO.getBytes(StandardCharsets.US_ASCII), 32);
    }

    /** Encrypts and authenticates {@code plaintext}. */
    public byte[] seal(byte[] plaintext) {
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = VERSION;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce);
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to encrypt", e);
        }
    }

    /** Checks and decrypts a sealed message; never throws for bad input. */
    public Unsealed open(byte[] sealed) {
        if (sealed.length < OVERHEAD) {
            return new Unsealed.Rejected(Unsealed.Reason.TRUNCATED);
        }
        if (sealed[0] != VERSION) {
            return new Unsealed.Rejected(Unsealed.Reason.UNKNOWN_VERSION);
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce);
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new Unsealed.Opened(plain);
        } catch (AEADBadTagException e) {
            return new Unsealed.Rejected(Unsealed.Reason.NOT_AUTHENTIC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to decrypt", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce) throws GeneralSecurityException {
        // A Cipher is not thread-safe and GCM needs a fresh init per nonce anyway: one per message.
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(new byte[] {VERSION});
        return cipher;
    }

    private static byte[] trim(byte[] secret) {
        int from = 0;
        int to = secret.length;
        while (from < to && isAsciiSpace(secret[from])) {
            from++;
        }
        while (to > from && isAsciiSpace(secret[to - 1])) {
            to--;
        }
        return Arrays.copyOfRange(secret, from, to);
    }

    private static boolean isAsciiSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** The outcome of {@link #open(byte[])}. */
    public sealed interface Unsealed {

        /** Authentic: the plaintext. */
        record Opened(byte[] plaintext) implements Unsealed {
        }

        /** Dropped, with why. */
        record Rejected(Reason reason) implements Unsealed {
        }

        /** Why a message was dropped. */
        enum Reason {
            /** Shorter than version + nonce + tag. */
            TRUNCATED,
            /** A version byte we do not know (or plaintext from an unsealed peer). */
            UNKNOWN_VERSION,
            /** The tag does not verify: another key, or altered bytes. */
            NOT_AUTHENTIC
        }
    }
}
