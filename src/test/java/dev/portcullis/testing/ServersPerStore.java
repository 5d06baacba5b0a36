package dev.portcullis.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One server per store, started on first use and shared by a test class's methods; close it in
 * {@code @AfterAll}. Starting a server costs seconds, so classes share one rather than one per test.
 */
public final class ServersPerStore implements AutoCloseable {

    private final Function<StoreKind, TestServer> factory;
    private final Map<StoreKind, TestServer> servers = new EnumMap<>(StoreKind.class);

    public ServersPerStore(String tenantsYaml) {
        this(store -> TestServer.start(store, tenantsYaml));
    }

    public ServersPerStore(Function<StoreKind, TestServer> factory) {
        this.factory = factory;
    }

    public synchronized TestServer get(StoreKind store) {
        return servers.computeIfAbsent(store, factory);
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(TestServer::close);
        servers.clear();
    }
}
