package dev.portcullis.identity;

import dev.portcullis.store.LookupCache;
import dev.portcullis.tenant.RealmType;

import java.util.Optional;

/** Cached subject lookups by username, id or email; dropped whenever configuration changes. */
public final class SubjectDirectory {

    private record SubjectKey(SubjectLookup lookup) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return 48 + LookupCache.bytes(lookup.tenantId()) + LookupCache.bytes(lookup.value());
        }
    }

    private final SubjectRepository repository;
    private final LookupCache cache;

    public SubjectDirectory(SubjectRepository repository, LookupCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    public Optional<Subject> find(SubjectLookup lookup) {
        return cache.get(new SubjectKey(lookup.normalized()), key -> repository.find(key.lookup()), SubjectDirectory::estimatedBytes);
    }

    /** The subject with this id, if it exists and is enabled: what a session or a grant may still act for. */
    public Optional<Subject> findActive(String tenantId, RealmType realm, String id) {
        return find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, id)).filter(Subject::enabled);
    }

    private static long estimatedBytes(Optional<Subject> subject) {
        return subject.map(s -> 128 + LookupCache.bytes(s.tenantId()) + LookupCache.bytes(s.id())
                + LookupCache.bytes(s.username()) + LookupCache.bytes(s.email()) + LookupCache.bytes(s.passwordHash()))
                .orElse(16L);
    }
}
