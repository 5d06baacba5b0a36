package dev.portcullis.resourceserver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call one operation, as eGain documents its APIs: the actor types allowed, each with the scopes
 * its token must carry (all of them). A token of any other actor type is refused, whatever its scopes.
 * <pre>
 * AccessRule readArticles = AccessRule.allow(ActorType.USER, "knowledge.portalmgr.read")
 *         .and(ActorType.CLIENT_ON_BEHALF_OF_USER, "knowledge.portalmgr.onbehalfof.read");
 * </pre>
 */
public final class AccessRule {

    private final Map<ActorType, Set<String>> requiredScopes;

    private AccessRule(Map<ActorType, Set<String>> requiredScopes) {
        this.requiredScopes = Collections.unmodifiableMap(requiredScopes);
    }

    /** A rule no token satisfies: for an operation that must refuse every caller. */
    public static AccessRule nobody() {
        return new AccessRule(new EnumMap<>(ActorType.class));
    }

    /** Allows {@code actorType} when its token carries every one of {@code scopes} (none: any token of that type). */
    public static AccessRule allow(ActorType actorType, String... scopes) {
        return new AccessRule(new EnumMap<>(ActorType.class)).and(actorType, scopes);
    }

    /** A new rule that also allows {@code actorType} with {@code scopes}; an actor type named again is replaced. */
    public AccessRule and(ActorType actorType, String... scopes) {
        Set<String> names = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || scope.isBlank() || scope.contains(" ") || scope.contains("\"") || scope.contains("\\")) {
                throw new IllegalArgumentException("not a scope name: '" + scope + "'");
            }
            names.add(scope);
        }
        Map<ActorType, Set<String>> copy = new EnumMap<>(ActorType.class);
        copy.putAll(requiredScopes);
        copy.put(actorType, Collections.unmodifiableSet(names));
        return new AccessRule(copy);
    }

    public Set<ActorType> allowedActorTypes() {
        return requiredScopes.keySet();
    }

    /** The scopes a token of {@code actorType} needs, or empty when that actor type is not allowed at all. */
    public Optional<Set<String>> requiredScopes(ActorType actorType) {
        return Optional.ofNullable(requiredScopes.get(actorType));
    }

    /** Why {@code token} may not call the operation, or empty when it may. */
    Optional<Refusal> check(AccessToken token) {
        Set<String> required = requiredScopes.get(token.actorType());
        if (required == null && requiredScopes.isEmpty()) {
            return Optional.of(new Refusal("no caller may use this operation", Set.of()));
        }
        if (required == null) {
            String allowed = requiredScopes.keySet().stream().map(ActorType::claim).collect(Collectors.joining(", "));
            return Optional.of(new Refusal("actor type " + token.actorType().claim() + " may not call this operation (allowed: "
                    + allowed + ")", Set.of()));
        }
        List<String> missing = new ArrayList<>();
        for (String scope : required) {
            if (!token.hasScope(scope)) {
                missing.add(scope);
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal("the token lacks scope " + String.join(" ", missing) + ", which actor type "
                + token.actorType().claim() + " needs for this operation", required));
    }

    /** A refusal of a valid token: what is wrong, and the scopes to name in the challenge. */
    record Refusal(String description, Set<String> requiredScopes) {
    }

    @Override
    public String toString() {
        return "AccessRule" + requiredScopes;
    }
}
