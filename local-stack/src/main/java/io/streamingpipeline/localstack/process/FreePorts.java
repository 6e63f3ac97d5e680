package io.streamingpipeline.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports on 127.0.0.1 for the engines: pick free ones, or check that a fixed one is still free. */
public final class FreePorts {

    /** Every engine of the local stack listens on this address only. */
    public static final String HOST = "127.0.0.1";

    private FreePorts() {}

    /** {@code count} distinct ports that were free a moment ago (all held open together while picking). */
    public static int[] pick(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(loopback(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not pick free ports on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a port we only looked at
                }
            }
        }
    }

    /** One port that was free a moment ago. */
    public static int pick() {
        return pick(1)[0];
    }

    /** Whether a server socket could bind {@code 127.0.0.1:port} right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Throws {@link PortInUseException} if {@code port} is taken.
     *
     * @param what what the port is for, for the message ("Kafka broker listener")
     */
    public static void requireFree(int port, String what) {
        if (!isFree(port)) {
            throw new PortInUseException(port, what);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByName(HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
