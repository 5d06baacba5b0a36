package dev.portcullis.cimd;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a document is kept, from its caching headers, within the documented bounds. */
class CacheLifetimeTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Duration lifetime(String... pairs) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        Function<String, Optional<String>> header = name -> Optional.ofNullable(headers.get(name));
        return CacheLifetime.of(header, NOW);
    }

    @Test
    void theBoundsAreAMinuteAndADayWithFiveMinutesWhenTheAnswerSaysNothing() {
        assertThat(CacheLifetime.MINIMUM).isEqualTo(Duration.ofSeconds(60));
        assertThat(CacheLifetime.MAXIMUM).isEqualTo(Duration.ofHours(24));
        assertThat(lifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(lifetime("Cache-Control", "public")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void maxAgeIsKeptWithinTheBounds() {
        assertThat(lifetime("Cache-Control", "public, max-age=3600")).isEqualTo(Duration.ofHours(1));
        assertThat(lifetime("cache-control", "max-age=10")).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime("Cache-Control", "max-age=31536000, immutable")).isEqualTo(Duration.ofHours(24));
        assertThat(lifetime("Cache-Control", "max-age=\"600\"")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void sMaxAgeWinsAndAgeIsSubtracted() {
        assertThat(lifetime("Cache-Control", "s-maxage=7200, max-age=60")).isEqualTo(Duration.ofHours(2));
        assertThat(lifetime("Cache-Control", "max-age=60, s-maxage=7200")).isEqualTo(Duration.ofHours(2));
        assertThat(lifetime("Cache-Control", "max-age=3600", "Age", "600")).isEqualTo(Duration.ofMinutes(50));
    }

    @Test
    void noStoreAndNoCacheAreKeptForTheMinimumOnly() {
        assertThat(lifetime("Cache-Control", "no-store")).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime("Cache-Control", "no-cache, max-age=3600")).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime("Cache-Control", "max-age=0")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void expiresCountsFromTheAnswersDateAndAnInvalidOneHasExpired() {
        assertThat(lifetime("Expires", "Sun, 01 Mar 2026 14:00:00 GMT", "Date", "Sun, 01 Mar 2026 12:00:00 GMT"))
                .isEqualTo(Duration.ofHours(2));
        assertThat(lifetime("Expires", "Sun, 01 Mar 2026 13:00:00 GMT")).isEqualTo(Duration.ofHours(1));
        assertThat(lifetime("Expires", "0")).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime("Expires", "Sun, 01 Mar 2026 11:00:00 GMT")).isEqualTo(Duration.ofSeconds(60));
        assertThat(lifetime("Expires", "Sun, 01 Mar 2026 14:00:00 GMT", "Cache-Control", "max-age=120"))
                .as("max-age overrides Expires").isEqualTo(Duration.ofMinutes(2));
    }
}
