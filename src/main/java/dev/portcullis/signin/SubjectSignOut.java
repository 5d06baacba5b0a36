package dev.portcullis.signin;

import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.token.AuthorizationCodes;
import dev.portcullis.token.RefreshTokens;

/**
 * Signs a user or customer out everywhere: its browser sessions end, its unredeemed authorization codes
 * expire and its refresh token families are revoked, all in the caller's transaction. Access tokens already
 * issued stay valid until they expire (minutes), as they are not stored.
 */
public final class SubjectSignOut {

    /** How many of each were ended. */
    public record Ended(int sessions, int authorizationCodes, int refreshTokenFamilies) {
    }

    private SubjectSignOut() {
    }

    public static Ended everywhere(Sql tx, String tenantId, RealmType realm, String subjectId, long now) {
        int sessions = BrowserSessions.endAllOf(tx, tenantId, realm, subjectId);
        int codes = AuthorizationCodes.expireUnredeemedOf(tx, tenantId, realm, subjectId, now);
        int families = RefreshTokens.revokeAllOf(tx, tenantId, realm, subjectId, now);
        return new Ended(sessions, codes, families);
    }
}
