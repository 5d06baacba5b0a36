package dev.portcullis.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Providers that cannot give their keys, on loopback only: a port nothing listens on (down) and a
 * listener that accepts connections and never answers (slow).
 */
final class UnresponsiveProviders implements AutoCloseable {

    private final int closedPort;
    private final ServerSocket silent;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    UnresponsiveProviders() {
        try {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = probe.getLocalPort();
            }
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-provider");
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String downIssuer() {
        return "http://127.0.0.1:" + closedPort + "/down";
    }

    String slowIssuer() {
        return "http://127.0.0.1:" + silent.getLocalPort() + "/slow";
    }

    @Override
    public void close() throws IOException {
        silent.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
