package io.ferrolb.speaker.membership;

import io.scalecube.cluster.Member;
import io.scalecube.cluster.transport.api.Message;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers scalecube's metadata request for a member without asking the member.
 *
 * <p>scalecube adds a member, or takes a suspect's refutation, only once it fetched the member's
 * metadata straight from it. ferrolb gives members no metadata, so that fetch only checks the direct
 * path. Where just that path is cut (a firewall between two nodes, a third node reaching both), it
 * discards the refutation that the third node relays: the suspect is declared dead although it
 * answered, and is never added back while the path stays cut. SWIM's indirect probes exist for
 * exactly this case, so for such members the membership has the answer given here (docs/design.md
 * §4.9).
 *
 * <p>scalecube 2.7's request and response types are package-private, hence the reflection; should
 * it fail (another scalecube), {@link #answer} is empty and requests go to the member as before.
 */
final class LocalMetadata {

    static final String REQUEST = "sc/metadata/req";
    static final String RESPONSE = "sc/metadata/resp";

    private static final Logger LOG = LoggerFactory.getLogger(LocalMetadata.class);
    private static final Constructor<?> RESPONSE_TYPE;
    private static final Method REQUESTED_MEMBER;

    static {
        Constructor<?> response = null;
        Method member = null;
        try {
            response = Class.forName("io.scalecube.cluster.metadata.GetMetadataResponse")
                    .getDeclaredConstructor(Member.class, ByteBuffer.class);
            response.setAccessible(true);
            member = Class.forName("io.scalecube.cluster.metadata.GetMetadataRequest").getDeclaredMethod("getMember");
            member.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot answer scalecube's metadata requests locally; a member cut off from this node only "
                    + "directly may be dropped error={}", e.toString());
            response = null;
        }
        RESPONSE_TYPE = response;
        REQUESTED_MEMBER = member;
    }

    private LocalMetadata() {
    }

    /** Whether the message is scalecube asking a member for its metadata. */
    static boolean isRequest(Message message) {
        return REQUEST.equals(message.qualifier());
    }

    /** The response the member would send (empty metadata), or empty when it cannot be built. */
    static Optional<Message> answer(Message request) {
        if (RESPONSE_TYPE == null) {
            return Optional.empty();
        }
        try {
            Object member = request.data() == null ? null : REQUESTED_MEMBER.invoke(request.data());
            Object data = RESPONSE_TYPE.newInstance(member, ByteBuffer.allocate(0));
            return Optional.of(Message.builder().qualifier(RESPONSE).correlationId(request.correlationId())
                    .data(data).build());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot answer a metadata request locally error={}", e.toString());
            return Optional.empty();
        }
    }
}
