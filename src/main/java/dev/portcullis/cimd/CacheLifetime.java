package dev.portcullis.cimd;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a fetched document is kept (RFC 9111 freshness, as the draft asks): Cache-Control s-maxage or max-age
 * less Age, else Expires less Date, else {@link #DEFAULT}; clamped to {@link #MINIMUM}..{@link #MAXIMUM}. The floor
 * means no-store, no-cache and max-age=0 are kept for a minute too: the document is read on every authorization and
 * token request of the client, and a client must not be able to make this server fetch it for each of them. The
 * ceiling bounds how long a changed document (new redirect URIs, a withdrawn client) goes unnoticed.
 */
final class CacheLifetime {

    static final Duration MINIMUM = Duration.ofSeconds(60);
    static final Duration DEFAULT = Duration.ofMinutes(5);
    static final Duration MAXIMUM = Duration.ofHours(24);

    private static final Pattern DIRECTIVE = Pattern.compile("(?i)(?:^|,)\\s*(s-maxage|max-age)\\s*=\\s*\"?(\\d{1,12})\"?\\s*(?=,|$)");
    private static final Pattern NO_STORE = Pattern.compile("(?i)(?:^|,)\\s*(no-store|no-cache)\\s*(?==|,|$)");

    private CacheLifetime() {
    }

    /** The lifetime for a response with these headers (looked up by name, ignoring case), received at {@code now}. */
    static Duration of(Function<String, Optional<String>> header, Instant now) {
        return clamp(freshness(header, now).orElse(DEFAULT));
    }

    private static Optional<Duration> freshness(Function<String, Optional<String>> header, Instant now) {
        Optional<String> cacheControl = header.apply("Cache-Control");
        if (cacheControl.isPresent()) {
            if (NO_STORE.matcher(cacheControl.get()).find()) {
                return Optional.of(Duration.ZERO);
            }
            Optional<Long> maxAge = Optional.empty();
            Matcher directive = DIRECTIVE.matcher(cacheControl.get());
            while (directive.find()) {
                long seconds = Long.parseLong(directive.group(2));
                // a shared cache (which this is: one document serves every user) prefers s-maxage
                if (directive.group(1).equalsIgnoreCase("s-maxage") || maxAge.isEmpty()) {
                    maxAge = Optional.of(seconds);
                }
            }
            if (maxAge.isPresent()) {
                long age = header.apply("Age").flatMap(CacheLifetime::seconds).orElse(0L);
                return Optional.of(Duration.ofSeconds(Math.max(0, maxAge.get() - age)));
            }
        }
        Optional<String> expires = header.apply("Expires");
        if (expires.isPresent()) {
            // an Expires that is not a date means "already expired" (RFC 9111 section 5.3)
            Optional<Instant> at = date(expires.get());
            if (at.isEmpty()) {
                return Optional.of(Duration.ZERO);
            }
            Instant sent = header.apply("Date").flatMap(CacheLifetime::date).orElse(now);
            return Optional.of(Duration.between(sent, at.get()).isNegative() ? Duration.ZERO : Duration.between(sent, at.get()));
        }
        return Optional.empty();
    }

    static Duration clamp(Duration lifetime) {
        return lifetime.compareTo(MINIMUM) < 0 ? MINIMUM : lifetime.compareTo(MAXIMUM) > 0 ? MAXIMUM : lifetime;
    }

    private static Optional<Long> seconds(String value) {
        return value.trim().matches("\\d{1,12}") ? Optional.of(Long.parseLong(value.trim())) : Optional.empty();
    }

    private static Optional<Instant> date(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
