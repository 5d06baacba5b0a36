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

    public void invalidateAll() {
        subjects.invalidateAll();
    }
}
