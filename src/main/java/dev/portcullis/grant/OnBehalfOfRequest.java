package dev.portcullis.grant;

import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * eGain's On-Behalf-Of request: {@code grant_type=password} with exactly one subject parameter
 * naming a user (realm U: subject_username or subject_userid) or a customer (realm C:
 * subject_email). It never carries the subject's password.
 */
public record OnBehalfOfRequest(ScopeSet scope, SubjectLookup subject, Optional<String> resource) {

    public static final String GRANT_TYPE = "password";

    public static OnBehalfOfRequest parse(FormParameters form, Realm realm) {
        if (form.has("password") || form.has("username")) {
            throw OAuthException.invalidRequest("grant_type=password is On-Behalf-Of here and never takes a user's password: "
                    + "remove 'username'/'password' and name the subject with "
                    + (realm.type() == RealmType.USER ? "subject_username or subject_userid" : "subject_email"));
        }
        List<SubjectLookup.By> sent = new ArrayList<>();
        for (SubjectLookup.By by : SubjectLookup.By.values()) {
            if (form.has(by.parameter())) {
                sent.add(by);
            }
        }
        for (SubjectLookup.By by : sent) {
            boolean customerParameter = by == SubjectLookup.By.EMAIL;
            if (customerParameter && realm.type() == RealmType.USER) {
                throw OAuthException.invalidRequest("subject_email names a customer; send it to the customer realm "
                        + realm.tenant().id() + "-C, or name a user here with subject_username or subject_userid");
            }
            if (!customerParameter && realm.type() == RealmType.CUSTOMER) {
                throw OAuthException.invalidRequest(by.parameter() + " names a user; send it to the user realm "
                        + realm.tenant().id() + "-U, or name a customer here with subject_email");
            }
        }
        if (sent.isEmpty()) {
            throw OAuthException.invalidRequest("name the subject with "
                    + (realm.type() == RealmType.USER ? "subject_username or subject_userid" : "subject_email"));
        }
        if (sent.size() > 1) {
            throw OAuthException.invalidRequest("send exactly one of subject_username and subject_userid, not both");
        }
        ScopeSet scope = ScopeSet.parse(form.require("scope"));
        SubjectLookup.By by = sent.get(0);
        return new OnBehalfOfRequest(scope, new SubjectLookup(realm.tenant().id(), realm.type(), by, form.require(by.parameter())),
                ResourceIndicators.requested(form));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("scope", scope.toParameter());
        parameters.put(subject.by().parameter(), subject.value());
        resource.ifPresent(r -> parameters.put(FormParameters.RESOURCE, r));
        return parameters;
    }
}
