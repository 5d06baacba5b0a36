package dev.portcullis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port to a loopback target (the test PostgreSQL), which a test can break the
 * ways a network and a database break, without touching the database server itself:
 * <ul>
 *   <li>{@link #refuse()}: every open connection is reset and new ones are closed at once, as when the
 *       database restarts or its host is down;</li>
 *   <li>{@link #blackhole()}: open connections go silent and new ones are accepted and never answered, as
 *       in a network partition, where nothing resets and only timeouts end a wait;</li>
 *   <li>{@link #restore()}: relays again.</li>
 * </ul>
 * Only loopback addresses are used, on both sides.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { RELAY, REFUSE, BLACKHOLE }

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.RELAY;
    private final Thread acceptor;

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code jdbcUrl} (on 127.0.0.1:targetPort) rewritten to go through this relay. */
    public String route(String jdbcUrl) {
        String direct = "//127.0.0.1:" + targetPort + "/";
        if (!jdbcUrl.contains(direct)) {
            throw new IllegalArgumentException("not a URL to 127.0.0.1:" + targetPort + ": " + jdbcUrl);
        }
        return jdbcUrl.replace(direct, "//127.0.0.1:" + port() + "/");
    }

    public void refuse() {
        mode = Mode.REFUSE;
        sockets.forEach(TcpProxy::reset);
        sockets.clear();
    }

    /** Open connections stop relaying (their pumps keep reading but forward nothing); new ones are held unanswered. */
    public void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Relays again; connections held by {@link #blackhole()} are reset, as a partition's end finds them timed out. */
    public void restore() {
        Mode before = mode;
        mode = Mode.RELAY;
        if (before == Mode.BLACKHOLE) {
            sockets.forEach(TcpProxy::reset);
            sockets.clear();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                switch (mode) {
                    case REFUSE -> reset(client);
                    case BLACKHOLE -> sockets.add(client);
                    case RELAY -> relay(client);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try {
            Socket server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
            sockets.add(client);
            sockets.add(server);
            pump(client, server);
            pump(server, client);
        } catch (IOException e) {
            reset(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (mode == Mode.RELAY) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed or was reset: end the other too
            } finally {
                if (mode != Mode.BLACKHOLE) {
                    close(from);
                    close(to);
                }
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing is what matters
        }
        close(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // stopping anyway
        }
        sockets.forEach(TcpProxy::reset);
        sockets.clear();
    }
}
