package io.ferrolb.speaker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalecube.cluster.Member;
import io.scalecube.cluster.membership.MembershipProtocolImpl;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class SyncTapTest {

    private final TestingTransport transport = new TestingTransport();
    private final SyncTap tap = new SyncTap(transport, new OutboundConnections());

    @Test
    void nothingToReplayBeforeScalecubeSentASync() {
        assertThat(tap.sendSync("10.0.0.3:7946", "10.0.0.1:7946")).isFalse();
        assertThat(transport.sent).isEmpty();
    }

    @Test
    void replaysTheLastSyncPayloadAsAFreshSyncFromUs() {
        tap.requestResponse("10.0.0.2:7946", Message.withData("table-1").qualifier(MembershipProtocolImpl.SYNC)
                .correlationId("initial").build());
        tap.send("10.0.0.2:7946", Message.withData("table-2").qualifier(MembershipProtocolImpl.SYNC_ACK).build());
        tap.send("10.0.0.2:7946", Message.withData("ping").qualifier("sc/fdetector/ping").build());

        assertThat(tap.sendSync("10.0.0.3:7946", "10.0.0.1:7946")).isTrue();

        Sent replay = transport.sent.get(transport.sent.size() - 1);
        assertThat(replay.address()).isEqualTo("10.0.0.3:7946");
        assertThat(replay.message().qualifier()).isEqualTo(MembershipProtocolImpl.SYNC);
        assertThat(replay.message().correlationId()).as("answered by a SyncAck that scalecube merges").isNull();
        assertThat(replay.message().sender()).isEqualTo("10.0.0.1:7946");
        assertThat(replay.message().<String>data()).isEqualTo("table-2");
    }

    @Test
    void reportsTheSendersOfInboundSyncsOnly() {
        List<String> senders = new CopyOnWriteArrayList<>();
        tap.onSyncFrom(senders::add);

        transport.receive(Message.withData("t").qualifier(MembershipProtocolImpl.SYNC_ACK).sender("10.0.0.2:7946").build());
        transport.receive(Message.withData("t").qualifier(MembershipProtocolImpl.SYNC).sender("10.0.0.3:7946").build());
        transport.receive(Message.withData("p").qualifier("sc/fdetector/ping").sender("10.0.0.4:7946").build());
        transport.receive(Message.withQualifier(SealedMessageCodec.DROPPED_QUALIFIER).build());

        assertThat(senders).containsExactly("10.0.0.2:7946", "10.0.0.3:7946");
    }

    @Test
    void answersTheMetadataRequestForAMemberTheMembershipNamesWithoutAskingIt() throws Exception {
        tap.answerMetadataFor("10.0.0.2:7946"::equals);
        Member member = new Member("id-2", "n2", "10.0.0.2:7946", "ferrolb");

        Message answer = tap.requestResponse("10.0.0.2:7946", metadataRequest(member, "cid-1")).block(Duration.ZERO);

        assertThat(transport.sent).as("nothing sent to the member").isEmpty();
        assertThat(answer.qualifier()).isEqualTo("sc/metadata/resp");
        assertThat(answer.correlationId()).isEqualTo("cid-1");
        Object response = answer.data();
        assertThat(response.getClass().getName()).isEqualTo("io.scalecube.cluster.metadata.GetMetadataResponse");
        assertThat(call(response, "getMember")).isEqualTo(member);
        assertThat(((ByteBuffer) call(response, "getMetadata")).remaining()).isZero();
    }

    @Test
    void asksEveryOtherMemberForItsMetadata() throws Exception {
        tap.answerMetadataFor("10.0.0.2:7946"::equals);
        Member member = new Member("id-3", "n3", "10.0.0.3:7946", "ferrolb");

        tap.requestResponse("10.0.0.3:7946", metadataRequest(member, "cid-2")).subscribe();

        assertThat(transport.sent).extracting(Sent::address).containsExactly("10.0.0.3:7946");
    }

    /** scalecube's own request; its type is package-private in 2.7, as {@link LocalMetadata} knows. */
    private static Message metadataRequest(Member member, String correlationId) throws Exception {
        Constructor<?> type = Class.forName("io.scalecube.cluster.metadata.GetMetadataRequest")
                .getDeclaredConstructor(Member.class);
        type.setAccessible(true);
        return Message.builder().qualifier("sc/metadata/req").correlationId(correlationId)
                .data(type.newInstance(member)).build();
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }

    private record Sent(String address, Message message) {
    }

    /** Records what is sent; {@link #receive} plays an inbound message. */
    private static final class TestingTransport implements Transport {

        private final Sinks.Many<Message> inbound = Sinks.many().multicast().directBestEffort();
        private final List<Sent> sent = new CopyOnWriteArrayList<>();

        void receive(Message message) {
            inbound.tryEmitNext(message);
        }

        @Override
        public String address() {
            return "10.0.0.1:7946";
        }

        @Override
        public Mono<Transport> start() {
            return Mono.just(this);
        }

        @Override
        public Mono<Void> stop() {
            return Mono.empty();
        }

        @Override
        public boolean isStopped() {
            return false;
        }

        @Override
        public Mono<Void> send(String address, Message message) {
            return Mono.fromRunnable(() -> sent.add(new Sent(address, message)));
        }

        @Override
        public Mono<Message> requestResponse(String address, Message request) {
            sent.add(new Sent(address, request));
            return Mono.never();
        }

        @Override
        public Flux<Message> listen() {
            return inbound.asFlux();
        }
    }
}
