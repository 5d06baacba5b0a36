package dev.portcullis.admin;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants file is read one tenant at a time: its top level is checked, anchors serve within a tenant only. */
class TenantNodesTest {

    private static String tenant(String id) {
        return "  - id: " + id + "\n    name: Tenant " + id + "\n    scopes:\n      - { name: app.read, kind: application }\n";
    }

    @Test
    void tenantsAreReadInOrderWithTheirLines() {
        TenantsFile file = TenantsFileParser.parse("tenants:\n" + tenant("A") + tenant("B") + tenant("C"), "t.yaml");

        assertThat(file.tenants()).extracting(TenantsFile.TenantSpec::id).containsExactly("A", "B", "C");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenants:\n" + tenant("A") + "  - id: B\n    nmae: x\n", "t.yaml"))
                .hasMessageStartingWith("t.yaml:7: unknown key 'nmae'");
    }

    @Test
    void anAnchorServesWithinItsTenantButNotAnother() {
        String within = "tenants:\n  - id: A\n    name: &n Same\n    scopes:\n      - { name: app.read, kind: application, description: *n }\n";
        assertThat(TenantsFileParser.parse(within, "t.yaml").tenants().get(0).scopes().get(0).description()).isEqualTo("Same");

        String across = "tenants:\n  - id: A\n    name: &n Same\n  - id: B\n    name: *n\n";
        assertThatThrownBy(() -> TenantsFileParser.parse(across, "t.yaml")).hasMessageContaining("t.yaml:5")
                .hasMessageContaining("undefined alias");
    }

    @Test
    void theTopLevelIsCheckedAsBefore() {
        assertThatThrownBy(() -> TenantsFileParser.parse("", "t.yaml")).hasMessage("t.yaml: the file is empty; it needs a 'tenants:' list");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenant:\n" + tenant("A"), "t.yaml"))
                .hasMessage("t.yaml:1: unknown key 'tenant' in the file (known keys: tenants)");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenants: {}\n", "t.yaml")).hasMessage("t.yaml:1: 'tenants' must be a list");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenants:\n" + tenant("A") + "tenants:\n" + tenant("B"), "t.yaml"))
                .hasMessageContaining("duplicate key 'tenants'");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenants:\n" + tenant("A") + "---\ntenants:\n" + tenant("B"), "t.yaml"))
                .hasMessageContaining("one YAML document");
        assertThatThrownBy(() -> TenantsFileParser.parse("tenants:\n" + tenant("A") + tenant("A"), "t.yaml"))
                .hasMessage("t.yaml:6: duplicate tenant id 'A'");
        assertThat(TenantsFileParser.parse("tenants:\n", "t.yaml").tenants()).isEmpty();
    }

    /**
     * Five thousand tenants (4 MB of YAML) parse in a JVM with a 64 MB heap: the whole file's node tree, as it was
     * built before, took some 30 bytes of heap per byte of YAML and ran the server's 192 MB heap out at 8 MB.
     */
    @Test
    void aLargeFileParsesInASmallHeap() throws Exception {
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), LargeFile.class.getName(), "5000")
                .redirectErrorStream(true);
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("the child's output").contains("parsed 5000 tenants from");
        assertThat(process.exitValue()).isZero();
    }

    /** The child JVM of {@link #aLargeFileParsesInASmallHeap}: writes the file, parses it, prints the count. */
    static final class LargeFile {
        public static void main(String[] args) throws Exception {
            int count = Integer.parseInt(args[0]);
            Path file = Files.createTempFile("many-tenants", ".yaml");
            try (var out = Files.newBufferedWriter(file)) {
                out.write("tenants:\n");
                for (int i = 0; i < count; i++) {
                    String id = String.format("T%05d", i);
                    out.write("  - id: " + id + "\n    name: Tenant " + id + "\n    scopes:\n"
                            + "      - { name: app.read, kind: application, description: Application scope of the tenant }\n"
                            + "      - { name: obo.read, kind: on-behalf-of, description: On-behalf-of scope of the tenant }\n"
                            + "      - { name: user.read, kind: delegated, description: Delegated scope of the tenant }\n"
                            + "    users:\n      - { id: u1, username: user1, email: user1@example.com }\n"
                            + "    clients:\n"
                            + "      - { client_id: " + id.toLowerCase() + "-web, name: Web, platform: web, scopes: [ app.read, obo.read ],\n"
                            + "          redirect_uris: [ \"https://app.example.com/callback\" ] }\n"
                            + "      - { client_id: " + id.toLowerCase() + "-spa, name: SPA, platform: spa, scopes: [ user.read ],\n"
                            + "          redirect_uris: [ \"https://spa.example.com/callback\" ] }\n");
                }
            }
            List<TenantsFile.TenantSpec> tenants = TenantsFileParser.parse(file).tenants();
            System.out.println("parsed " + tenants.size() + " tenants from " + Files.size(file) + " bytes");
            Files.delete(file);
        }
    }
}
