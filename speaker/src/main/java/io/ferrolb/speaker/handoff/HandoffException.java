package io.ferrolb.speaker.handoff;

/**
 * The node's tables could not be brought to what the speaker wants (a failed {@code iptables-save},
 * a refused rule, a missing {@code ipvsadm}). The handoff remembers what is unsynced and converges
 * it at its next call; the caller reports the failure and retries.
 */
public final class HandoffException extends RuntimeException {

    public HandoffException(String message) {
        super(message);
    }
}
