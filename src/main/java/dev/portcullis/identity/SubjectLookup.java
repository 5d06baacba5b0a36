package dev.portcullis.identity;

import dev.portcullis.tenant.RealmType;

import java.util.Locale;

/** How a request names a subject: by username, id or email, within one realm of one tenant. */
public record SubjectLookup(String tenantId, RealmType realm, By by, String value) {

    public enum By {
        USERNAME("subject_username"),
        USER_ID("subject_userid"),
        EMAIL("subject_email");

        private final String parameter;

        By(String parameter) {
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** Usernames and emails match case-insensitively; ids match exactly. */
    public String key() {
        return by == By.USER_ID ? value : value.toLowerCase(Locale.ROOT);
    }

    public SubjectLookup normalized() {
        return new SubjectLookup(tenantId, realm, by, key());
    }
}
