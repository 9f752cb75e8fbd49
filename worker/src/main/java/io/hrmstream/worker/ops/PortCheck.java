package io.hrmstream.worker.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks, before anything starts, that a port the worker will listen on is free, so that a busy port is reported
 * as one line naming the port and what wanted it, instead of as a bind error from deep inside a broker, a
 * registry or an HTTP server after other parts have started. Another process may still take the port between
 * the check and the bind; that rare case keeps the component's own error.
 */
public final class PortCheck {

    private PortCheck() {
    }

    /** Thrown when a port is taken; its message is the one line to print. */
    public static final class PortInUseException extends IllegalStateException {
        PortInUseException(final String message) {
            super(message);
        }
    }

    /**
     * Binds and releases {@code host:port}; port 0 (any free port) always passes.
     *
     * @param wantedBy what would listen there, e.g. "the Kafka broker (--port)"
     * @throws PortInUseException when the port cannot be bound
     */
    public static void requireFree(final String host, final int port, final String wantedBy) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as the servers themselves bind: a port in TIME_WAIT after a clean stop is free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
        } catch (final IOException e) {
            throw new PortInUseException("port " + port + " on " + host + " is in use (" + e.getMessage()
                    + "): " + wantedBy + " needs it; stop what holds it or choose another port");
        }
    }
}
