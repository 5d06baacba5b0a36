package dev.portcullis.cimd;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.client.Platform;
import dev.portcullis.client.RedirectUris;
import dev.portcullis.protocol.ParameterLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What this server reads from a client's metadata document (RFC 7591 client metadata): client_id, which must be
 * the document's URL exactly; redirect_uris, the only redirects the client may use; and client_name,
 * post_logout_redirect_uris and scope when present. Every other member is ignored, as the draft allows documents
 * to carry more. A client described this way has no shared secret (draft section 4.1): a document with
 * client_secret, client_secret_expires_at, or a token_endpoint_auth_method other than none is refused, as is one
 * whose known members have the wrong type. Redirect URIs follow the native-app rules (RFC 8252), see
 * {@link MetadataDocumentClients}.
 *
 * @param scope the scopes the document asks to be limited to; empty when it names none (all the tenant offers)
 */
public record MetadataDocument(String clientId, Optional<String> clientName, List<String> redirectUris,
                               List<String> postLogoutRedirectUris, Optional<Set<String>> scope) {

    static final int MAX_REDIRECT_URIS = 20;
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_SCOPE_LENGTH = 2048;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Why a document cannot be used. */
    static final class InvalidDocument extends Exception {
        InvalidDocument(String message) {
            super(message);
        }
    }

    static MetadataDocument parse(String url, byte[] body) throws InvalidDocument {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // a duplicated member would let two parsers read two different documents: refused with the rest
            throw new InvalidDocument("is not valid JSON" + (e.getOriginalMessage() != null
                    && e.getOriginalMessage().startsWith("Duplicate field") ? " (a member appears twice)" : ""));
        } catch (IOException e) {
            throw new InvalidDocument("could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDocument("is not a JSON object");
        }
        JsonNode clientId = root.get("client_id");
        if (clientId == null || !clientId.isTextual()) {
            throw new InvalidDocument("has no client_id");
        }
        if (!clientId.textValue().equals(url)) {
            throw new InvalidDocument("names client_id '" + abbreviate(clientId.textValue())
                    + "', not its own URL: the two must be the same string exactly");
        }
        if (root.has("client_secret") || root.has("client_secret_expires_at")) {
            throw new InvalidDocument("holds a client_secret: a client described by a metadata document is public "
                    + "and has no shared secret");
        }
        JsonNode method = root.get("token_endpoint_auth_method");
        if (method != null && !(method.isTextual() && method.textValue().equals("none"))) {
            throw new InvalidDocument("asks for token_endpoint_auth_method '" + abbreviate(method.asText())
                    + "': such a client is public here, so it must be none (or left out)");
        }
        List<String> redirectUris = uris(root, "redirect_uris", true);
        List<String> postLogout = uris(root, "post_logout_redirect_uris", false);
        return new MetadataDocument(url, name(root), redirectUris, postLogout, scope(root));
    }

    private static List<String> uris(JsonNode root, String member, boolean required) throws InvalidDocument {
        JsonNode node = root.get(member);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidDocument("has no redirect_uris: a client must name where it receives the sign-in");
            }
            return List.of();
        }
        if (!node.isArray() || required && node.isEmpty()) {
            throw new InvalidDocument("has " + member + " that is not " + (required ? "a non-empty" : "an") + " array of URIs");
        }
        if (node.size() > MAX_REDIRECT_URIS) {
            throw new InvalidDocument("lists more than " + MAX_REDIRECT_URIS + " " + member);
        }
        List<String> uris = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isTextual()) {
                throw new InvalidDocument("has an entry of " + member + " that is not a string");
            }
            String uri = entry.textValue();
            Optional<String> problem = RedirectUris.problem(uri, Platform.NATIVE);
            if (problem.isPresent()) {
                throw new InvalidDocument("lists a redirect URI this server cannot accept in " + member + ": "
                        + abbreviate(problem.get()));
            }
            if (!uris.contains(uri)) {
                uris.add(uri);
            }
        }
        return List.copyOf(uris);
    }

    /** The display name without control or formatting characters (a right-to-left override can disguise a name). */
    private static Optional<String> name(JsonNode root) throws InvalidDocument {
        JsonNode node = root.get("client_name");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidDocument("has a client_name that is not a string");
        }
        StringBuilder cleaned = new StringBuilder();
        node.textValue().codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean hidden = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE || type == Character.SURROGATE
                    || type == Character.UNASSIGNED;
            cleaned.appendCodePoint(hidden || Character.isWhitespace(cp) ? ' ' : cp);
        });
        String name = cleaned.toString().replaceAll(" {2,}", " ").strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_LENGTH)).strip() + "…";
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private static Optional<Set<String>> scope(JsonNode root) throws InvalidDocument {
        JsonNode node = root.get("scope");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.textValue().length() > MAX_SCOPE_LENGTH) {
            throw new InvalidDocument("has a scope that is not a space-separated string of at most " + MAX_SCOPE_LENGTH
                    + " characters");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : node.textValue().split(" ")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Optional.of(Set.copyOf(names));
    }

    /** A value from the document, for an error message and a log line: short, and printable ASCII only. */
    private static String abbreviate(String value) {
        int limit = Math.min(ParameterLimits.IDENTIFIER, 200);
        String shown = value.length() <= limit ? value : value.substring(0, limit) + "...";
        StringBuilder safe = new StringBuilder(shown.length());
        shown.chars().forEach(c -> safe.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? '?' : (char) c));
        return safe.toString();
    }
}
