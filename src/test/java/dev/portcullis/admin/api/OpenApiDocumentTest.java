package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's OpenAPI document is held to the router: every route the server mounts is documented and every
 * documented route is mounted, every reference resolves, and the server serves the file as it is. The routes do
 * not depend on the store, so one SQLite server serves every check.
 */
class OpenApiDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String PUBLIC = "GET /openapi.json";

    private static TestServer server;
    private static byte[] resource;
    private static JsonNode document;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(AdminApi.OPENAPI_RESOURCE)) {
            assertThat(in).as(AdminApi.OPENAPI_RESOURCE + " on the class path").isNotNull();
            resource = in.readAllBytes();
        }
        document = MAPPER.readTree(resource);
        server = TestServer.start(StoreKind.SQLITE, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDocumentIsOpenApi31WithItsBaseAsServerAndEveryReferenceResolves() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.path("servers").path(0).path("url").asText()).isEqualTo(AdminRouter.BASE);
        JsonNode bearer = document.at("/components/securitySchemes/bearer");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        List<String> unresolved = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        for (String ref : refs) {
            if (!ref.startsWith("#/") || document.at(ref.substring(1)).isMissingNode()) {
                unresolved.add(ref);
            }
        }
        assertThat(refs).as("the document uses components").isNotEmpty();
        assertThat(unresolved).as("references that name nothing in the document").isEmpty();
    }

    @Test
    void everyMountedRouteIsDocumentedAndEveryDocumentedRouteIsMounted() {
        Set<String> mounted = new TreeSet<>();
        server.feature(AdminApi.class).mountedRoutes().forEach(route -> mounted.add(normalised(route)));
        Set<String> documented = new TreeSet<>();
        documentedOperations().forEach(operation -> documented.add(normalised(operation.route())));

        Set<String> undocumented = new TreeSet<>(mounted);
        undocumented.removeAll(documented);
        Set<String> unmounted = new TreeSet<>(documented);
        unmounted.removeAll(mounted);
        assertThat(mounted).as("the admin API mounts routes").contains(PUBLIC);
        assertThat(undocumented).as("routes the server mounts that the OpenAPI document does not describe").isEmpty();
        assertThat(unmounted).as("routes the OpenAPI document describes that the server does not mount").isEmpty();
    }

    @Test
    void everyOperationButTheDocumentItselfNeedsATokenAndSaysWhatItDoes() {
        List<String> without401 = new ArrayList<>();
        List<String> withoutDescription = new ArrayList<>();
        for (Operation operation : documentedOperations()) {
            boolean isPublic = operation.route().equals(PUBLIC);
            if (!isPublic && !operation.node().path("responses").has("401")) {
                without401.add(operation.route());
            }
            if (operation.node().path("description").asText().isBlank()) {
                withoutDescription.add(operation.route());
            }
            if (isPublic) {
                assertThat(operation.node().path("security").isArray() && operation.node().path("security").isEmpty())
                        .as("the document is public: security []").isTrue();
            }
        }
        assertThat(document.path("security").path(0).has("bearer")).as("bearer tokens are the default").isTrue();
        assertThat(without401).as("authenticated operations that document no 401").isEmpty();
        assertThat(withoutDescription).as("operations without a description").isEmpty();
    }

    @Test
    void theServerServesTheResourceFileWithoutAToken() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + AdminRouter.BASE
                + "/openapi.json")).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.body()).isEqualTo(new String(resource, StandardCharsets.UTF_8));
    }

    /** "GET /tenants/{tenant}" -> "GET /tenants/{}": parameters may be named differently in the two lists. */
    private static String normalised(String route) {
        return route.replaceAll("\\{[^}/]*}", "{}");
    }

    private record Operation(String route, JsonNode node) {
    }

    private static List<Operation> documentedOperations() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(member -> {
            if (METHODS.contains(member.getKey())) {
                operations.add(new Operation(member.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), member.getValue()));
            }
        }));
        return operations;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> collectRefs(item, refs));
        }
    }
}
