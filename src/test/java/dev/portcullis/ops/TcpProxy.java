package dev.portcullis.ops;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder between the instances and PostgreSQL, which a scenario cuts and restores to make the database
 * unreachable without stopping it. Two kinds of outage:
 * <ul>
 *   <li>{@link Mode#REFUSE}: every connection is reset and new ones are refused (the database host is down, or its
 *       port closed): clients learn at once;</li>
 *   <li>{@link Mode#BLACKHOLE}: connections stay open but no byte passes either way, and new connections are accepted
 *       but never reach the database (a partition, a dead switch): clients learn nothing until their timeouts.
 *       Restoring lets the held bytes through, as a healed network does.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    public enum Mode { OPEN, REFUSE, BLACKHOLE }

    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private volatile Mode mode = Mode.OPEN;
    private volatile boolean closed;
    private ServerSocket server;
    private Thread acceptor;

    public TcpProxy(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public TcpProxy start() {
        listen();
        return this;
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    public long connectionsAccepted() {
        return connections.get();
    }

    public synchronized void set(Mode next) {
        Mode previous = mode;
        mode = next;
        if (next == Mode.REFUSE && previous != Mode.REFUSE) {
            closeQuietly(server);
            sockets.forEach(TcpProxy::reset);
            sockets.clear();
        } else if (next != Mode.REFUSE && previous == Mode.REFUSE) {
            listen();
        }
    }

    private synchronized void listen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("the database proxy cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket listening = server;
        acceptor = new Thread(() -> accept(listening), "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket listening) {
        while (!closed && !listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return; // closed: REFUSE or close()
            }
            connections.incrementAndGet();
            sockets.add(client);
            Thread connector = new Thread(() -> connect(client), "db-proxy-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void connect(Socket client) {
        try {
            while (mode == Mode.BLACKHOLE && !closed) {
                Thread.sleep(10);
            }
            if (mode == Mode.REFUSE || closed) {
                reset(client);
                return;
            }
            Socket upstream = new Socket(targetHost, targetPort);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            sockets.add(upstream);
            pipe(client, upstream, "db-proxy-up");
            pipe(upstream, client, "db-proxy-down");
        } catch (IOException e) {
            reset(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pipe(Socket from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    while (mode == Mode.BLACKHOLE && !closed) {
                        Thread.sleep(5);
                    }
                    if (mode == Mode.REFUSE) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side ended: end the other
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes with SO_LINGER 0: the peer gets a reset, as from a host that went away. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // nothing to do
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }
}
