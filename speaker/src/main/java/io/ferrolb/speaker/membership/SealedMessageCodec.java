package io.ferrolb.speaker.membership;

import io.ferrolb.speaker.membership.MessageSealer.Unsealed;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * scalecube's transport codec with every frame sealed by {@link MessageSealer}: the inner codec
 * (Jackson) only ever sees authenticated plaintext, which also keeps unauthenticated bytes away from
 * Jackson's polymorphic deserialisation.
 *
 * <p>A frame that does not open is not thrown back to scalecube: its transport would log an ERROR
 * with a stack trace per frame (a cheap log flood for anyone who can open a TCP connection) and keep
 * the connection anyway. Instead it decodes to {@link #isDropped an inert message} whose qualifier
 * no scalecube protocol handles and which carries no correlation id, so it changes nothing; drops are
 * counted and logged at most every {@value #LOG_EVERY_MS} ms.
 */
public final class SealedMessageCodec implements MessageCodec {

    private static final Logger LOG = LoggerFactory.getLogger(SealedMessageCodec.class);
    /** The qualifier of the inert stand-in for a dropped frame. */
    static final String DROPPED_QUALIFIER = "ferrolb/membership/dropped";
    private static final long LOG_EVERY_MS = 10_000;

    private final MessageCodec inner;
    private final MessageSealer sealer;
    private final LongSupplier clockMillis;
    private final Map<Unsealed.Reason, AtomicLong> dropped = new EnumMap<>(Unsealed.Reason.class);
    private final AtomicLong sealedCount = new AtomicLong();
    private final AtomicLong openedCount = new AtomicLong();
    private final AtomicLong nextLogAt = new AtomicLong();
    private final AtomicLong droppedSinceLog = new AtomicLong();

    public SealedMessageCodec(MessageCodec inner, MessageSealer sealer) {
        this(inner, sealer, System::currentTimeMillis);
    }

    SealedMessageCodec(MessageCodec inner, MessageSealer sealer, LongSupplier clockMillis) {
        this.inner = inner;
        this.sealer = sealer;
        this.clockMillis = clockMillis;
        for (Unsealed.Reason reason : Unsealed.Reason.values()) {
            dropped.put(reason, new AtomicLong());
        }
    }

    @Override
    public void serialize(Message message, OutputStream stream) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream(256);
        inner.serialize(message, plain);
        stream.write(sealer.seal(plain.toByteArray()));
        sealedCount.incrementAndGet();
    }

    @Override
    public Message deserialize(InputStream stream) throws Exception {
        // The TCP transport hands us exactly one length-delimited frame.
        Unsealed unsealed = sealer.open(stream.readAllBytes());
        if (unsealed instanceof Unsealed.Opened opened) {
            openedCount.incrementAndGet();
            return inner.deserialize(new ByteArrayInputStream(opened.plaintext()));
        }
        Unsealed.Reason reason = ((Unsealed.Rejected) unsealed).reason();
        dropped.get(reason).incrementAndGet();
        logDrop(reason);
        return Message.withQualifier(DROPPED_QUALIFIER).build();
    }

    /** Whether {@code message} is the stand-in for a frame that failed to open. */
    public static boolean isDropped(Message message) {
        return DROPPED_QUALIFIER.equals(message.qualifier());
    }

    /** Frames dropped so far because they did not open, all reasons. */
    public long droppedCount() {
        return dropped.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Frames dropped so far for one reason. */
    public long droppedCount(Unsealed.Reason reason) {
        return dropped.get(reason).get();
    }

    /** Frames sealed (sent) so far. */
    public long sealedCount() {
        return sealedCount.get();
    }

    /** Frames opened (received and authentic) so far. */
    public long openedCount() {
        return openedCount.get();
    }

    private void logDrop(Unsealed.Reason reason) {
        long pending = droppedSinceLog.incrementAndGet();
        long now = clockMillis.getAsLong();
        long due = nextLogAt.get();
        if (now >= due && nextLogAt.compareAndSet(due, now + LOG_EVERY_MS)) {
            droppedSinceLog.addAndGet(-pending);
            LOG.warn("Dropped membership messages that do not open with our key reason={} dropped={} total={}"
                            + " (a speaker with another membership secret, or not a speaker)",
                    reason, pending, droppedCount());
        }
    }
}
