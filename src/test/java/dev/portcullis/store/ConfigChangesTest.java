package dev.portcullis.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigChangesTest {

    @Test
    void theSameRevisionFromThePollAndTheNotificationDropsTheCachesOnce() {
        AtomicInteger drops = new AtomicInteger();
        ConfigChanges changes = new ConfigChanges(5);
        changes.register(List.of(drops::incrementAndGet));

        assertThat(changes.reached(5)).isFalse();
        assertThat(changes.reached(6)).isTrue();
        assertThat(changes.reached(6)).isFalse();
        assertThat(drops).hasValue(1);

        changes.changed();
        assertThat(drops).as("changed() drops whatever the revision").hasValue(2);
        changes.resynchronise(6);
        assertThat(drops).as("after a reconnection, whatever the revision").hasValue(3);
        assertThat(changes.seen()).isEqualTo(6);
    }
}
