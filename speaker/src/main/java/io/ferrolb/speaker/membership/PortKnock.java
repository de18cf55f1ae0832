package io.ferrolb.speaker.membership;

import io.ferrolb.common.Daemons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Asks a member's kernel, not its process, whether the member is still there: a TCP connection to
 * its membership port. SWIM's verdicts rest on timers (a probe, its acknowledgement, a suspicion
 * timeout) that a busy machine trips: a survivor starved of CPU while a restarted speaker warmed
 * up declared a long-running peer failed and SWIM re-added it half a second later, after the
 * survivor had taken over its addresses. A listening socket's handshake is answered by the kernel
 * even while the process waits for a CPU (or is stopped): a connection that succeeds makes the
 * verdict doubtful, one not answered within the timeout confirms it, and a refused one confirms it
 * only where nothing else can tell a dead process from a firewall's resets. Like
 * memberlist's TCP fallback probe, checked only when SWIM's own probes failed.
 */
final class PortKnock implements AutoCloseable {

    /** What the member's port said. */
    enum Answer {
        /** The handshake completed: something listens there. */
        LISTENS,
        /**
         * Refused: nothing listens, or a firewall on the way rejects us with resets. Which of the two
         * only the crash watch can tell ({@link CrashWatch}: a refusal right after the member's kernel
         * ended an established connection).
         */
        REFUSED,
        /** Unreachable, or no answer within the timeout. */
        SILENT
    }

    private final InetAddress bindAddress;
    private final Duration timeout;
    private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.named("membership-knock"));

    PortKnock(InetAddress bindAddress, Duration timeout) {
        this.bindAddress = bindAddress;
        this.timeout = timeout;
    }

    /** Knocks on {@code host:port} from a thread of its own; completes within about the timeout. */
    CompletableFuture<Answer> knock(String endpoint) {
        try {
            return CompletableFuture.supplyAsync(() -> knockNow(endpoint), threads);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(Answer.SILENT);
        }
    }

    private Answer knockNow(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(bindAddress, 0));
            s.connect(new InetSocketAddress(InetAddress.getByName(endpoint.substring(0, colon)),
                    Integer.parseInt(endpoint.substring(colon + 1))), (int) timeout.toMillis());
            return Answer.LISTENS;
        } catch (IOException e) {
            return CrashWatch.refused(e) ? Answer.REFUSED : Answer.SILENT;
        } catch (RuntimeException unresolvable) {
            return Answer.SILENT;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
