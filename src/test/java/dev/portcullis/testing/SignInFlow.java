package dev.portcullis.testing;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives a whole interactive sign-in to the point where the client receives its code. */
public final class SignInFlow {

    private SignInFlow() {
    }

    /**
     * Opens {@code authorizePath}, signs in with the realm's identifier field, allows consent if asked,
     * and returns the final redirect to the client.
     */
    public static HttpResponse<String> signIn(BrowserClient browser, String authorizePath, String identifierField,
                                              String identifier, String password) {
        HttpResponse<String> page = browser.follow(browser.get(authorizePath));
        if (page.statusCode() == 200 && page.body().contains(">Sign in</button>")) {
            page = browser.follow(browser.submit(page, Map.of(identifierField, identifier, "password", password)));
        }
        if (page.statusCode() == 200 && page.body().contains(">Allow</button>")) {
            page = browser.follow(browser.submit(page, Map.of("decision", "allow")));
        }
        assertThat(page.statusCode()).as("final response of the sign-in: %s", page.body()).isEqualTo(302);
        return page;
    }
}
