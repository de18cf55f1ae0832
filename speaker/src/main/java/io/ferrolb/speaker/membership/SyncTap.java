package io.ferrolb.speaker.membership;

import io.scalecube.cluster.membership.MembershipProtocolImpl;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A pass-through {@link Transport} that lets the membership layer see and steer the anti-entropy
 * sync, which scalecube 2.7 does not expose:
 *
 * <ul>
 *   <li>every authenticated inbound Sync or SyncAck is reported with its sender (that peer's full table
 *       is being merged into ours), which the join gate counts as having synced;
 *   <li>the payload of the last Sync/SyncAck scalecube itself sent (our full membership table) is kept,
 *       so that {@link #sendSync} can send it to a listed peer that is missing from the view. scalecube
 *       only syncs with its start-time seeds and known members, one random address per interval, so a
 *       peer that started alone and is not in anyone's seeds would otherwise stay alone. A slightly old
 *       table is harmless: records only override older incarnations.
 * </ul>
 */
final class SyncTap implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTap.class);

    private final Transport delegate;
    private final OutboundConnections outbound;
    private volatile Object lastSyncPayload;
    private volatile Disposable inboundTap;
    private volatile Predicate<String> answerMetadataFor = address -> false;

    SyncTap(Transport delegate, OutboundConnections outbound) {
        this.delegate = delegate;
        this.outbound = outbound;
    }

    /**
     * Closes our connections to a member that failed or crashed. Its process is gone, but a TCP
     * connection to it can stay "established" with data waiting for acknowledgement (it died behind
     * a downed link), and the kernel's retransmission back-off then hides for tens of seconds that the
     * address now holds a new speaker: everything we send it, replies to its joins included, queues
     * behind the unacknowledged data. scalecube reconnects on the next send.
     */
    void disconnect(String address) {
        int closed = outbound.close(address);
        if (closed > 0) {
            LOG.debug("Closed connections to a failed member address={} connections={}", address, closed);
        }
    }

    /** Which member addresses get scalecube's metadata requests answered here; call before start. */
    void answerMetadataFor(Predicate<String> addresses) {
        this.answerMetadataFor = addresses;
    }

    /** Reports the sender address of every inbound Sync and SyncAck; call once, before start. */
    void onSyncFrom(Consumer<String> senders) {
        inboundTap = delegate.listen()
                .filter(SyncTap::isSyncFamily)
                .subscribe(message -> {
                    if (message.sender() != null) {
                        senders.accept(message.sender());
                    }
                }, error -> LOG.warn("Sync tap failed error={}", error.toString()));
    }

    /**
     * Sends our last full table as a Sync to {@code address}, which answers with a SyncAck carrying its
     * table. Returns false when scalecube has not sent any sync yet (nothing to replay).
     */
    boolean sendSync(String address, String ownEndpoint) {
        Object payload = lastSyncPayload;
        if (payload == null) {
            return false;
        }
        Message sync = Message.withData(payload)
                .qualifier(MembershipProtocolImpl.SYNC)
                .sender(ownEndpoint)
                .build();
        delegate.send(address, sync).subscribe(null,
                error -> LOG.debug("Sync to a missing peer failed peer={} error={}", address, error.toString()));
        return true;
    }

    @Override
    public String address() {
        return delegate.address();
    }

    @Override
    public Mono<Transport> start() {
        return delegate.start().thenReturn(this);
    }

    @Override
    public Mono<Void> stop() {
        Disposable tap = inboundTap;
        if (tap != null) {
            tap.dispose();
        }
        return delegate.stop();
    }

    @Override
    public boolean isStopped() {
        return delegate.isStopped();
    }

    @Override
    public Mono<Void> send(String address, Message message) {
        remember(message);
        return delegate.send(address, message);
    }

    @Override
    public Mono<Message> requestResponse(String address, Message request) {
        remember(request);
        if (LocalMetadata.isRequest(request) && answerMetadataFor.test(address)) {
            Optional<Message> answer = LocalMetadata.answer(request);
            if (answer.isPresent()) {
                LOG.debug("Metadata request answered locally member={}", address);
                return Mono.just(answer.get());
            }
        }
        return delegate.requestResponse(address, request);
    }

    @Override
    public Flux<Message> listen() {
        return delegate.listen();
    }

    private void remember(Message message) {
        if (isSyncFamily(message) && message.data() != null) {
            lastSyncPayload = message.data();
        }
    }

    private static boolean isSyncFamily(Message message) {
        String qualifier = message.qualifier();
        return MembershipProtocolImpl.SYNC.equals(qualifier) || MembershipProtocolImpl.SYNC_ACK.equals(qualifier);
    }
}
