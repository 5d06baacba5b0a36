package dev.portcullis.identity;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.util.Optional;

/** Cached subject lookups by username, id or email; dropped whenever configuration changes. */
public final class SubjectDirectory {

    private final LoadingCache<SubjectLookup, Optional<Subject>> subjects;

    public SubjectDirectory(SubjectRepository repository) {
        this.subjects = Caffeine.newBuilder().maximumSize(500_000).build(repository::find);
    }

    public Optional<Subject> find(SubjectLookup lookup) {
        return subjects.get(lookup.normalized());
    }

    /** The subject with this id, if it exists and is enabled: what a session or a grant may still act for. */
    public Optional<Subject> findActive(String tenantId, dev.portcullis.tenant.RealmType realm, String id) {
        return find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, id)).filter(Subject::enabled);
    }

    public void invalidateAll() {
        subjects.invalidateAll();
    }
}
