package dev.portcullis.web;

import dev.portcullis.protocol.FormParameters;
import io.javalin.http.Context;

/** The token endpoint's form reading (content type, UTF-8, size cap, strict decoding) for endpoints outside this package. */
public final class FormBodies {

    private FormBodies() {
    }

    public static FormParameters read(Context ctx) {
        return FormParameters.parse(TokenEndpoint.readFormBody(ctx));
    }
}
