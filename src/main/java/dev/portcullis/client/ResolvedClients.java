package dev.portcullis.client;

/**
 * Clients that are neither built in nor stored, but resolved from their client id when asked for: a client whose
 * client_id is the https URL of its metadata document ({@code dev.portcullis.cimd}). Such ids cannot collide with
 * stored ones, which never contain ':' or '/'. A resolver never throws: a failure is a {@link ClientLookup} with
 * its reason.
 */
public interface ResolvedClients {

    ResolvedClients NONE = new ResolvedClients() {
        @Override
        public boolean claims(String clientId) {
            return false;
        }

        @Override
        public ClientLookup resolve(String tenantId, String clientId) {
            return ClientLookup.UNKNOWN;
        }
    };

    /** Whether {@code clientId} is one this resolver answers for (then the stored clients are not asked). */
    boolean claims(String clientId);

    ClientLookup resolve(String tenantId, String clientId);
}
