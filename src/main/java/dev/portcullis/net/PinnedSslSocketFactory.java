package dev.portcullis.net;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * Makes an https connection reach the one address that was checked, whatever the host name resolves
 * to by the time the connection is opened (DNS rebinding), while TLS still sends the host name (SNI)
 * and verifies the certificate against it. HttpsURLConnection asks for an unconnected socket, connects
 * it to the host, then layers TLS over it: the socket here connects to the pinned address instead.
 */
public final class PinnedSslSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory tls;
    private final InetAddress pinned;

    public PinnedSslSocketFactory(SSLSocketFactory tls, InetAddress pinned) {
        this.tls = tls;
        this.pinned = pinned;
    }

    /** A plain socket that connects to the pinned address on the requested port. */
    static final class PinnedSocket extends Socket {
        private final InetAddress pinned;

        PinnedSocket(InetAddress pinned) {
            this.pinned = pinned;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            int port = ((InetSocketAddress) endpoint).getPort();
            super.connect(new InetSocketAddress(pinned, port), timeout);
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }
    }

    @Override
    public Socket createSocket() {
        return new PinnedSocket(pinned);
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return tls.createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new PinnedSocket(pinned);
        socket.connect(new InetSocketAddress(pinned, port));
        return tls.createSocket(socket, host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostAddress(), port);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }
}
