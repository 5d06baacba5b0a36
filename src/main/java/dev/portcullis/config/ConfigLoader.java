package dev.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.store.DatabaseLimits;
import dev.portcullis.token.SigningAlgorithms;
import dev.portcullis.web.TrustedProxies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the server configuration: defaults, then the YAML file, then PORTCULLIS_&lt;KEY&gt;
 * environment variables, each overriding the one before.
 */
public final class ConfigLoader {

    static final Set<String> KEYS = Set.of(
            "port", "bind", "public_url", "api_url", "database", "tenants", "master_key",
            "signing_alg", "cache_refresh_seconds", "database_pool_size", "session_idle_timeout", "session_absolute_timeout",
            "housekeeping_interval_seconds",
            "http_threads", "token_workers", "cache_max_mb", "allow_insecure_http", "management_port", "management_bind",
            "trusted_proxies", "registration_requests_per_minute_per_address", "client_id_metadata_documents_allow_loopback", "database_wait_ms",
            "database_statement_timeout_ms", "database_max_waiting", "password_hash_queue", "password_hash_max_wait_ms");

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    public static ServerConfig fromProcess(Path configFile) {
        return new ConfigLoader(System.getenv()).load(configFile);
    }

    public ServerConfig load(Path configFile) {
        Map<String, String> values = new LinkedHashMap<>();
        if (configFile != null) {
            values.putAll(readFile(configFile));
        }
        for (String key : KEYS) {
            String env = environment.get("PORTCULLIS_" + key.toUpperCase(Locale.ROOT));
            if (env != null && !env.isBlank()) {
                values.put(key, env.trim());
            }
        }
        int port = intValue(values, "port", 8080, 0, 65535);
        String bind = values.getOrDefault("bind", "127.0.0.1");
        String publicUrl = stripTrailingSlash(values.getOrDefault("public_url", "http://127.0.0.1:" + port));
        String apiUrl = stripTrailingSlash(values.getOrDefault("api_url", publicUrl));
        requireHttpUrl("public_url", publicUrl);
        requireHttpUrl("api_url", apiUrl);
        boolean allowInsecureHttp = booleanValue(values, "allow_insecure_http", false);
        requireTlsOffLoopback(bind, publicUrl, allowInsecureHttp);
        int managementPort = intValue(values, "management_port", 9090, 0, 65535);
        if (managementPort != 0 && managementPort == port) {
            throw new ConfigException("management_port must differ from port (both are " + port + ")");
        }
        String managementBind = values.getOrDefault("management_bind", "127.0.0.1");
        String database = values.getOrDefault("database", "./data/portcullis.db");
        Optional<Path> tenants = Optional.ofNullable(values.get("tenants")).map(Path::of);
        Optional<String> masterKey = Optional.ofNullable(values.get("master_key"));
        String alg = values.getOrDefault("signing_alg", "RS256");
        if (SigningAlgorithms.parse(alg).isEmpty()) {
            throw new ConfigException("signing_alg must be one of " + SigningAlgorithms.names() + ", not '" + alg + "'");
        }
        int refresh = intValue(values, "cache_refresh_seconds", 2, 1, 3600);
        int pool = intValue(values, "database_pool_size", database.startsWith("jdbc:postgresql:") ? 10 : 4, 1, 200);
        int sessionIdle = intValue(values, "session_idle_timeout", 1800, 60, 86_400);
        int sessionAbsolute = intValue(values, "session_absolute_timeout", 43_200, 300, 2_592_000);
        int housekeeping = intValue(values, "housekeeping_interval_seconds", 600, 10, 86_400);
        // Token work is CPU-bound, so more runnable threads than a few per core only add switching (measured on
        // 2 cores); but sign-ins waiting for a password hash and requests waiting for a database connection hold a
        // thread without running, so there are enough that those waits (bounded below) leave threads for the rest.
        int httpThreads = intValue(values, "http_threads", Math.max(64, 16 * Runtime.getRuntime().availableProcessors()), 8, 2000);
        // Signing is CPU-bound: one token request per core at a time, the others queued in arrival order, keeps the
        // tail short (no request is preempted by dozens of others halfway through its signature); 0 = no limit.
        int tokenWorkers = intValue(values, "token_workers", Runtime.getRuntime().availableProcessors(), 0, 2000);
        long cacheMaxBytes = intValue(values, "cache_max_mb", 64, 1, 4096) * 1024L * 1024L;
        // Open registration writes a client per request: one address must not fill a tenant's quota of dynamically
        // registered clients in seconds. Registration is rare for a real client, so the default stays low.
        int registrationsPerMinute = intValue(values, "registration_requests_per_minute_per_address", 20, 0, 10_000_000);
        boolean documentsFromLoopback = booleanValue(values, "client_id_metadata_documents_allow_loopback", false);
        if (documentsFromLoopback && !Loopback.isLoopback(bind)) {
            // the draft's one exception to "never fetch a special-use address": a server that itself runs on loopback
            throw new ConfigException("client_id_metadata_documents_allow_loopback is for tests and development on one "
                    + "machine: it needs bind to be a loopback address, not " + bind);
        }
        return new ServerConfig(port, bind, publicUrl, apiUrl, database, tenants, masterKey, alg, refresh, pool,
                sessionIdle, sessionAbsolute, housekeeping, httpThreads, tokenWorkers, cacheMaxBytes, allowInsecureHttp, managementPort, managementBind,
                trustedProxies(values.getOrDefault("trusted_proxies", "")), registrationsPerMinute, documentsFromLoopback,
                databaseLimits(values, httpThreads), passwordHashing(values, httpThreads));
    }

    /**
     * By default at most half the HTTP threads wait for a database connection and half for a password hash. A
     * sign-in is in one of the two queues at a time, so a flood of sign-ins or a slow database alone always leaves
     * half the threads for what needs neither (README, Reliability), and bursts of ordinary traffic fit.
     */
    private static DatabaseLimits databaseLimits(Map<String, String> values, int httpThreads) {
        int waitMillis = intValue(values, "database_wait_ms", 2_000, 250, 60_000);
        int statementMillis = intValue(values, "database_statement_timeout_ms", 3_000, 100, 600_000);
        int maxWaiting = intValue(values, "database_max_waiting", Math.max(1, httpThreads / 2), 1, httpThreads);
        return new DatabaseLimits(waitMillis, statementMillis, maxWaiting);
    }

    private static ServerConfig.PasswordHashing passwordHashing(Map<String, String> values, int httpThreads) {
        int queue = intValue(values, "password_hash_queue", Math.max(1, httpThreads / 2), 1, httpThreads);
        int maxWait = intValue(values, "password_hash_max_wait_ms", 3_000, 100, 60_000);
        return new ServerConfig.PasswordHashing(queue, maxWait);
    }

    private static Map<String, String> readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return values;
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ConfigException("config file " + file + " must be a YAML mapping of keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!KEYS.contains(field.getKey())) {
                throw new ConfigException("config file " + file + ": unknown key '" + field.getKey()
                        + "' (known keys: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
            if (!field.getValue().isValueNode()) {
                throw new ConfigException("config file " + file + ": '" + field.getKey() + "' must be a single value");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }

    private static int intValue(Map<String, String> values, String key, int defaultValue, int min, int max) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number, not '" + raw + "'");
        }
    }

    private static boolean booleanValue(Map<String, String> values, String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + " must be true or false, not '" + raw + "'");
        };
    }

    /**
     * Plain http is only safe where nobody else can listen in: on a loopback bind. Anywhere else the
     * session cookie would lose {@code Secure} and credentials would cross the network in clear, so it
     * takes an explicit opt-in (e.g. a private network the operator vouches for).
     */
    private static void requireTlsOffLoopback(String bind, String publicUrl, boolean allowInsecureHttp) {
        if (publicUrl.startsWith("http://") && !Loopback.isLoopback(bind) && !allowInsecureHttp) {
            throw new ConfigException("public_url " + publicUrl + " is plain http but bind " + bind
                    + " is not a loopback address: set public_url to the https:// URL clients use (TLS ended at a proxy), "
                    + "bind 127.0.0.1, or set allow_insecure_http: true to accept clear-text traffic on the network");
        }
    }

    private static TrustedProxies trustedProxies(String commaSeparated) {
        try {
            return TrustedProxies.parse(commaSeparated);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("trusted_proxies must be a comma-separated list of CIDRs such as 10.0.0.0/8, 2001:db8::/32: "
                    + e.getMessage());
        }
    }

    private static void requireHttpUrl(String key, String url) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(key + " must be an http:// or https:// URL, not '" + url + "'");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
