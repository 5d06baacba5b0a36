package dev.portcullis.observe;

import dev.portcullis.tenant.Realm;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ExchangeDetails;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.TokenGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per issued token, for the security record: who, for whom, what. It names the token by
 * its jti and never contains the token or any secret.
 */
public final class AuditLog {

    private static final Logger AUDIT = LoggerFactory.getLogger("portcullis.audit");

    public void tokenIssued(TokenGrant grant, IssuedToken token) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        AUDIT.info("token_issued tenant={} realm={} client={} subject={} grant={} actor={} scopes=\"{}\" jti={}{}",
                safe(grant.realm().tenant().id()), grant.realm().type().suffix(), safe(grant.client().clientId()),
                safe(grant.subjectId()), grant.grantType(), grant.actorType().claim(), quoted(token.scope()), token.jti(),
                exchange(grant) + token.proofKey().map(key -> " dpop_jkt=" + key.jkt()).orElse(""));
    }

    /** For an exchange: which identity provider vouched, for whom there, and who acts. */
    private static String exchange(TokenGrant grant) {
        if (grant.exchange().isEmpty()) {
            return "";
        }
        ExchangeDetails details = grant.exchange().get();
        StringBuilder line = new StringBuilder();
        details.identityProvider().ifPresent(idp -> line.append(" idp=").append(safe(idp)));
        details.externalSubject().ifPresent(sub -> line.append(" external_subject=").append(safe(sub)));
        details.actor().map(act -> act.get("sub")).ifPresent(actor -> line.append(" act=").append(safe(String.valueOf(actor))));
        return line.toString();
    }

    /** The same line for an anonymous customer's token, with the address it went to, since no client answers for it. */
    public void anonymousTokenIssued(Realm realm, String clientId, String subject, IssuedToken token, String address) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        AUDIT.info("token_issued tenant={} realm={} client={} subject={} grant={} actor={} scopes=\"{}\" jti={} address={}",
                safe(realm.tenant().id()), realm.type().suffix(), safe(clientId), safe(subject),
                ActorType.ANONYMOUS_CUSTOMER.claim(), ActorType.ANONYMOUS_CUSTOMER.claim(), quoted(token.scope()), token.jti(),
                safe(address));
    }

    /** A change made through the admin API: who (tenant, subject, client), what, and which fields; never a secret value. */
    public void adminChange(dev.portcullis.audit.AuditEvent event, java.util.Collection<String> fields) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        AUDIT.info("admin_change tenant={} action={} resource={} actor_tenant={} actor={} client={} fields=\"{}\" event={}",
                safe(event.tenantId()), event.action(), safe(event.resource()), safe(event.actor().tenantId()),
                safe(event.actor().subject()), safe(event.actor().clientId()), quoted(String.join(",", fields)), event.id());
    }

    /** Keeps a value on one line and inside its field: control characters, quotes and spaces are escaped. */
    static String safe(String value) {
        return escape(value, true);
    }

    /** For a value inside double quotes, where spaces may stay: control characters and quotes are escaped. */
    static String quoted(String value) {
        return escape(value, false);
    }

    private static String escape(String value, boolean spaces) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (spaces && c == ' ')) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
