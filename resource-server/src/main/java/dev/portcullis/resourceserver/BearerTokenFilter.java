package dev.portcullis.resourceserver;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A jakarta.servlet filter (Servlet 5 and later: Jetty 11+, Tomcat 10+): requests pass down the chain only
 * with a token the rule allows (a Bearer token, or a DPoP-bound token with its proof), with the {@link AccessToken} in the request attribute {@link #TOKEN_ATTRIBUTE}.
 * One rule for every request it is mapped to, or a function choosing each request's rule; a request the
 * function gives no rule is refused with 403, so that a route added later is not open by mistake.
 */
public final class BearerTokenFilter implements Filter {

    public static final String TOKEN_ATTRIBUTE = AccessToken.class.getName();

    private final ResourceServer tokens;
    private final Function<HttpServletRequest, Optional<AccessRule>> rules;

    public BearerTokenFilter(ResourceServer tokens, AccessRule rule) {
        this(tokens, request -> Optional.of(rule));
    }

    public BearerTokenFilter(ResourceServer tokens, Function<HttpServletRequest, Optional<AccessRule>> rules) {
        this.tokens = tokens;
        this.rules = rules;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        // CORS preflights carry no credentials by design; the actual request is checked
        if ("OPTIONS".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        var proofs = http.getHeaders("DPoP");
        Decision decision = tokens.authorize(ResourceRequest.of(http.getMethod(), http.getRequestURL().toString(),
                http.getHeader("Authorization"), proofs == null ? List.of() : Collections.list(proofs)),
                rules.apply(http).orElse(AccessRule.nobody()));
        if (decision instanceof Decision.Allowed allowed) {
            request.setAttribute(TOKEN_ATTRIBUTE, allowed.token());
            chain.doFilter(request, response);
            return;
        }
        Decision.Refused refused = (Decision.Refused) decision;
        answer.setStatus(refused.status());
        refused.headers().forEach(answer::setHeader);
        answer.setContentType("application/json");
        byte[] body = refused.jsonBody().getBytes(StandardCharsets.UTF_8);
        answer.setContentLength(body.length);
        answer.getOutputStream().write(body);
    }

    /** The caller's token, once the filter let the request through. */
    public static AccessToken token(HttpServletRequest request) {
        AccessToken token = (AccessToken) request.getAttribute(TOKEN_ATTRIBUTE);
        if (token == null) {
            throw new IllegalStateException("no access token on this request: map BearerTokenFilter to its path");
        }
        return token;
    }
}
