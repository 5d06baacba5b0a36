package dev.portcullis.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.console.ConsoleTenants;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/** The rest of a tenant in the web console: users and customers, scopes, identity providers, signing keys, the audit log. */
class ConsoleTenantPagesBrowserTest extends ConsoleBrowserSupport {

    @Test
    void usersAreSearchedAddedGivenAPasswordDisabledAndSignedOut() throws Exception {
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        open("/t/ACME/users", "users");
        assertThat(text("#users-list")).contains("pa").contains("agent");

        click(By.id("add-user"));
        type(fieldLabelled("Username"), "carol");
        type(fieldLabelled("Email"), "carol@acme.example");
        type(fieldLabelled("Password"), "carol's first password");
        fieldLabelled("Administrator").click();
        button("Add user").click();
        waitUntil("carol added", d -> text("main .notice").contains("Added user carol"));
        waitUntil("carol listed as an administrator", d -> text("#users-list").contains("partition_admin"));
        namedButton("Remove carol as administrator").click();
        waitUntil("carol no longer an administrator", d -> namedButton("Make carol an administrator") != null);
        assertThat(automation("GET", "/tenants/ACME/users?q=carol", null).path("items").get(0).path("roles")).isEmpty();

        type(fieldLabelled("Search users"), "car");
        button("Search").click();
        waitUntil("the search result", d -> text("#users-list").contains("carol") && !text("#users-list").contains("agent"));

        namedButton("Set the password of carol").click();
        type(fieldLabelled("New password for carol"), "short");
        button("Save password").click();
        waitUntil("the refusal of a short password", d -> !text("#users-list .field-error").isEmpty()
                || !text("#users-list .alert").isEmpty());
        type(fieldLabelled("New password for carol"), "carol's second password");
        button("Save password").click();
        waitUntil("the password set", d -> text("#users-list").contains("The password of carol is set."));

        JsonNode carol = automation("GET", "/tenants/ACME/users?q=carol", null).path("items").get(0);
        assertToken(server.postForm("/system/auth/ACME-U/oauth2/token", onBehalfOf("carol")));

        button("Search").click();
        waitUntil("the list again", d -> namedButton("Disable carol") != null);
        namedButton("End the sessions of carol").click();
        waitUntil("sessions ended", d -> text("#users-list").contains("carol is signed out everywhere"));
        namedButton("Disable carol").click();
        waitUntil("carol disabled", d -> namedButton("Enable carol") != null);
        assertThat(automation("GET", "/tenants/ACME/users/" + carol.path("id").asText(), null).path("enabled").asBoolean()).isFalse();

        open("/t/ACME/customers", "customers");
        click(By.id("add-customer"));
        type(fieldLabelled("Email"), "dan@example.com");
        button("Add customer").click();
        waitUntil("dan added", d -> text("#customers-list").contains("dan@example.com"));
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void scopesIdentityProvidersKeysAndTheAuditLog() throws Exception {
        signIn(ConsoleTenants.ACME, "pa", ConsoleTenants.PA_PASSWORD);
        open("/t/ACME/scopes", "scopes");
        assertThat(text("#scope-list")).contains("portcullis.admin").contains("Built in");
        type(fieldLabelled("Name"), "reports.read");
        new Select(fieldLabelled("Kind")).selectByVisibleText("Application");
        type(fieldLabelled("Description"), "Read reports as the application");
        button("Add scope").click();
        waitUntil("the new scope", d -> text("#scope-list").contains("reports.read"));
        type(fieldLabelled("Name"), "has space");
        button("Add scope").click();
        waitUntil("the refusal", d -> text("#scope-form").contains("may not contain spaces"));
        namedButton("Delete scope reports.read").click();
        waitUntil("the scope deleted", d -> !text("#scope-list").contains("reports.read"));

        open("/t/ACME/identity-providers", "identity-providers");
        type(fieldLabelled("Name"), "Corporate SSO");
        type(fieldLabelled("Issuer"), "https://login.example.com");
        type(fieldLabelled("Audiences"), "portcullis");
        button("Add identity provider").click();
        waitUntil("the provider", d -> text("#provider-list").contains("Corporate SSO"));

        open("/t/ACME/keys", "keys");
        int before = driver.findElements(By.cssSelector("#key-list tbody tr")).size();
        click(By.id("rotate-key"));
        button("Rotate now").click();
        waitUntil("the new key", d -> text("main .notice").contains("New key"));
        assertThat(driver.findElements(By.cssSelector("#key-list tbody tr"))).hasSize(before + 1);

        open("/t/ACME/audit", "audit");
        type(fieldLabelled("Action"), "scope.");
        button("Filter").click();
        waitUntil("scope events only", d -> text("#audit-list").contains("scope.deleted") && !text("#audit-list").contains("key.rotated"));
        assertThat(text("#audit-list")).contains("scope.created").contains("scopes/reports.read")
                .contains("user 1001 (via portcullis-console)");
        type(fieldLabelled("Action"), "");
        type(fieldLabelled("Actor"), "1001");
        button("Filter").click();
        waitUntil("pa's events", d -> text("#audit-list").contains("key.rotated") && text("#audit-list").contains("identity_provider."));
        assertNoPolicyViolationOrForeignRequest();
    }

    private static Map<String, String> onBehalfOf(String username) {
        String clientId = automation("POST", "/tenants/ACME/clients", "{ \"name\": \"OBO " + username + "\", \"platform\": \"web\", "
                + "\"scopes\": [ \"" + ConsoleTenants.OBO_SCOPE + "\" ] }").path("client_id").asText();
        String secret = automation("POST", "/tenants/ACME/clients/" + clientId + "/secrets", "{}").path("value").asText();
        return form("grant_type", "password", "client_id", clientId, "client_secret", secret, "scope", ConsoleTenants.OBO_SCOPE,
                "subject_username", username);
    }
}
