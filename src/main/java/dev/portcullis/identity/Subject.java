package dev.portcullis.identity;

import dev.portcullis.tenant.RealmType;

import java.util.Optional;

/** A user (agent, realm U) or customer (realm C) of one tenant. */
public record Subject(
        String tenantId,
        RealmType realm,
        String id,
        Optional<String> username,
        Optional<String> email,
        Optional<String> passwordHash,
        boolean enabled) {
}
