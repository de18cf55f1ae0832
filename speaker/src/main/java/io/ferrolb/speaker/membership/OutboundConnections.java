package io.ferrolb.speaker.membership;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.Connection;

/** The transport's open outbound connections by peer address, so that those to a dead peer can be closed. */
final class OutboundConnections {

    private final Map<String, Set<Connection>> byAddress = new ConcurrentHashMap<>();

    void opened(String address, Connection connection) {
        byAddress.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.onDispose(() -> byAddress.computeIfPresent(address, (a, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        }));
    }

    /** Closes every connection to {@code address}; returns how many were open. */
    int close(String address) {
        Set<Connection> open = byAddress.remove(address);
        if (open == null) {
            return 0;
        }
        open.forEach(Connection::dispose);
        return open.size();
    }

    int open(String address) {
        Set<Connection> open = byAddress.get(address);
        return open == null ? 0 : open.size();
    }
}
