package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.speaker.membership.MessageSealer.Unsealed.Reason;
import io.scalecube.cluster.codec.jackson.JacksonMessageCodec;
import io.scalecube.cluster.transport.api.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealedMessageCodecTest {

    private static final byte[] SECRET = "kXq3v9ZP0rUe1mN2bT7wYg".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "ZZZZ3v9ZP0rUe1mN2bT7wY".getBytes(StandardCharsets.US_ASCII);

    private final SealedMessageCodec codec = codec(SECRET);

    @Test
    void messagesRoundTripThroughJacksonAndTheSeal() throws Exception {
        Message message = Message.withData("payload").qualifier("sc/membership/sync").correlationId("c1")
                .sender("127.0.0.11:7946").build();

        byte[] wire = encode(codec, message);
        Message decoded = codec.deserialize(new ByteArrayInputStream(wire));

        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain("sc/membership", "127.0.0.11");
        assertThat(decoded.qualifier()).isEqualTo("sc/membership/sync");
        assertThat(decoded.correlationId()).isEqualTo("c1");
        assertThat(decoded.sender()).isEqualTo("127.0.0.11:7946");
        assertThat((String) decoded.data()).isEqualTo("payload");
        assertThat(codec.sealedCount()).isEqualTo(1);
        assertThat(codec.openedCount()).isEqualTo(1);
    }

    @Test
    void aMessageSealedWithAnotherKeyBecomesAnInertDrop() throws Exception {
        Message rogue = Message.withData("x").qualifier("sc/membership/sync").sender("127.0.0.14:7946").build();

        Message decoded = codec.deserialize(new ByteArrayInputStream(encode(codec(OTHER), rogue)));

        assertThat(SealedMessageCodec.isDropped(decoded)).isTrue();
        assertThat(decoded.correlationId()).as("never matches a pending request").isNull();
        assertThat(decoded.sender()).isNull();
        assertThat(decoded.<Object>data()).isNull();
        assertThat(codec.droppedCount(Reason.NOT_AUTHENTIC)).isEqualTo(1);
        assertThat(codec.openedCount()).isZero();
    }

    @Test
    void unsealedJacksonFromAPlainScalecubePeerIsDropped() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new JacksonMessageCodec().serialize(Message.fromQualifier("sc/fdetector/ping"), plain);

        Message decoded = codec.deserialize(new ByteArrayInputStream(plain.toByteArray()));

        assertThat(SealedMessageCodec.isDropped(decoded)).isTrue();
        assertThat(codec.droppedCount(Reason.UNKNOWN_VERSION)).isEqualTo(1);
    }

    @Test
    void garbageAndEmptyFramesAreDroppedAndCounted() throws Exception {
        assertThat(SealedMessageCodec.isDropped(codec.deserialize(new ByteArrayInputStream(new byte[0])))).isTrue();
        assertThat(SealedMessageCodec.isDropped(codec.deserialize(new ByteArrayInputStream(new byte[64])))).isTrue();

        assertThat(codec.droppedCount()).isEqualTo(2);
    }

    private static SealedMessageCodec codec(byte[] secret) {
        return new SealedMessageCodec(new JacksonMessageCodec(), MessageSealer.fromSecret(secret), () -> 0L);
    }

    private static byte[] encode(SealedMessageCodec codec, Message message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.serialize(message, out);
        return out.toByteArray();
    }
}
