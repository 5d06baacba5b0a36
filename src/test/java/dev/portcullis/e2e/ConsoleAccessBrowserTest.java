package dev.portcullis.e2e;

import dev.portcullis.console.ConsoleTenants;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who sees what in the web console: a Partition Administrator only their tenant, a user without the role a clear
 * page, a system administrator every tenant; and signing out ends the console's token and the realm session.
 */
class ConsoleAccessBrowserTest extends ConsoleBrowserSupport {

    @Test
    void anotherTenantsAdministratorSeesNothingOfThisOne() throws Exception {
        automation("POST", "/tenants/ACME/clients", "{ \"name\": \"Acme secret project\", \"platform\": \"web\" }");
        signIn(ConsoleTenants.GLOBEX, "gadmin", ConsoleTenants.GLOBEX_PASSWORD);
        waitForView("clients");
        assertThat(text("main")).contains("no client applications").doesNotContain("Acme secret project");
        assertThat(text("#nav")).containsIgnoringCase("Tenant GLOBEX").doesNotContain("ACME").doesNotContain("Tenants");

        open("/t/ACME/clients", "clients");
        assertThat(text("main h1")).isEqualTo("Not allowed");
        assertThat(text("main")).contains("administers tenant GLOBEX only").doesNotContain("Acme secret project");
        open("/t/ACME/users", "users");
        assertThat(text("main")).contains("administers tenant GLOBEX only").doesNotContain("pa@acme.example");

        // GLOBEX defines no openid scope, so the console has no ID token: the realm asks before it signs the user out
        click(By.id("sign-out"));
        waitUntil("the realm's sign-out confirmation", d -> onServer(server) && button("Sign out") != null);
        button("Sign out").click();
        waitUntil("the console, signed out", d -> text("main").contains("You are signed out."));
        assertSignedOutOfTheRealm(ConsoleTenants.GLOBEX);
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void aUserWithoutTheRoleGetsAClearPageAndSignsOut() throws Exception {
        signIn(ConsoleTenants.ACME, "agent", ConsoleTenants.AGENT_PASSWORD);
        waitForView("not-administrator");
        assertThat(text("main h1")).isEqualTo("Not an administrator");
        assertThat(text("#not-admin")).isEqualTo("You are signed in as agent, who is not an administrator of ACME.");
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        screenshot("console-not-administrator.png");

        // ACME defines openid: the console holds an ID token, so the realm ends the session without asking
        String token = (String) ((JavascriptExecutor) driver).executeScript(
                "return JSON.parse(sessionStorage.getItem('portcullis.console.session')).accessToken");
        button("Sign out").click();
        waitUntil("the console, signed out", d -> text("main").contains("You are signed out."));
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.getItem('portcullis.console.session')")).isNull();
        // the access token was revoked, not only forgotten
        assertThat(server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl()
                + "/admin/api/v1/tenants/ACME/clients")).header("Authorization", "Bearer " + token).build()).statusCode()).isEqualTo(401);
        assertSignedOutOfTheRealm(ConsoleTenants.ACME);
        assertNoPolicyViolationOrForeignRequest();
    }

    @Test
    void aSystemAdministratorListsCreatesDisablesAndManagesTenants() throws Exception {
        signIn("system", "root", ConsoleTenants.ROOT_PASSWORD);
        waitForView("tenants");
        assertThat(text("#tenant-list")).contains("ACME").contains("GLOBEX").contains("system");

        type(fieldLabelled("Tenant ID"), "INITECH");
        type(fieldLabelled("Name"), "Initech");
        button("Create tenant").click();
        waitUntil("the new tenant in the list", d -> text("#tenant-list").contains("INITECH"));
        assertThat(text("main .notice")).contains("Created tenant INITECH");
        // the validator's refusal, next to the field it names or at the top of the form
        type(fieldLabelled("Tenant ID"), "no spaces allowed");
        type(fieldLabelled("Name"), "Bad");
        button("Create tenant").click();
        waitUntil("the refusal", d -> !text("#tenant-form .field-error").isEmpty() || !text("#tenant-form .alert").isEmpty());
        assertThat(text("#tenant-form")).contains("tenant id");

        namedButton("Disable tenant INITECH").click();
        waitUntil("INITECH disabled", d -> text("main .notice").contains("Tenant INITECH is disabled"));
        assertThat(server.get("/system/auth/INITECH-U/.well-known/openid-configuration").statusCode()).isEqualTo(404);

        driver.findElement(By.cssSelector("a[aria-label='Manage tenant ACME']")).click();
        waitForView("clients");
        assertThat(text("main h1")).isEqualTo("Client applications");
        assertThat(text("#nav")).contains("Tenants").containsIgnoringCase("Tenant ACME");
        open("/t/ACME/users", "users");
        assertThat(text("#users-list")).contains("pa").contains("agent");
        assertNoPolicyViolationOrForeignRequest();
    }

    /** Back on the realm: signing in to the console again asks for the password, so the realm session ended too. */
    private void assertSignedOutOfTheRealm(String tenant) {
        driver.get(server.baseUrl() + "/admin/?tenant=" + tenant);
        waitForLoginPage(server, "the realm's login page again");
        assertThat(fieldLabelled("Password")).isNotNull();
    }
}
