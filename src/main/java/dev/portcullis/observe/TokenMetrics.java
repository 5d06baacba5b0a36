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

/** The Prometheus registry and the token endpoint's meters: issued tokens, errors, latency. */
public final class TokenMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer.Builder latency = Timer.builder("portcullis_token_request")
            .description("Token endpoint latency, from routing to response")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(5));

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
        Counter.builder("portcullis_tokens_issued").description("Access tokens issued")
                .tag("grant", grantType).tag("tenant", tenantId).register(registry).increment();
    }

    public void error(String code) {
        Counter.builder("portcullis_oauth_errors").description("OAuth error responses, by error code")
                .tag("error", code).register(registry).increment();
    }

    public void tokenRequest(long startNanos, String outcome) {
        latency.tag("outcome", outcome).register(registry).record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
