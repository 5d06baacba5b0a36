package dev.portcullis.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The Prometheus registry and the token endpoint's meters: issued tokens, errors, latency. */
public final class TokenMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Meters are resolved once per tag set: a registry lookup on every token would cost more than the count. */
    private final Map<List<String>, Counter> issued = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public TokenMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void issued(String grantType, String tenantId) {
        issued.computeIfAbsent(List.of(grantType, tenantId), key -> Counter.builder("portcullis_tokens_issued")
                .description("Access tokens issued").tag("grant", grantType).tag("tenant", tenantId).register(registry))
                .increment();
    }

    public void error(String code) {
        errors.computeIfAbsent(code, key -> Counter.builder("portcullis_oauth_errors")
                .description("OAuth error responses, by error code").tag("error", code).register(registry)).increment();
    }

    public void tokenRequest(long startNanos, String outcome) {
        latency.computeIfAbsent(outcome, key -> Timer.builder("portcullis_token_request")
                        .description("Token endpoint latency, from routing to response")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(5))
                        .tag("outcome", outcome).register(registry))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
