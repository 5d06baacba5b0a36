package dev.portcullis.identity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    @Test
    void hashesAreArgon2idPhcStringsThatVerifyOnlyTheRightPassword() {
        String hash = PasswordHasher.hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHasher.verify("correct horse battery", hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horse batterY", hash)).isFalse();
        assertThat(PasswordHasher.verify("anything", "not-a-phc-hash")).isFalse();
        assertThat(PasswordHasher.verifyAgainstDummy("portcullis-dummy-password")).isFalse();
    }

    @Test
    void hashesStoredByEitherImplementationVerifyWithTheOther() {
        String javaMade = com.password4j.Password.hash("stored before the switch").addRandomSalt(16)
                .with(com.password4j.Argon2Function.getInstance(19_456, 2, 1, 32, com.password4j.types.Argon2.ID)).getResult();
        assertThat(PasswordHasher.verify("stored before the switch", javaMade)).isTrue();
        assertThat(PasswordHasher.verify("something else", javaMade)).isFalse();

        String current = PasswordHasher.hash("made now");
        assertThat(com.password4j.Password.check("made now", current)
                .with(com.password4j.Argon2Function.getInstanceFromHash(current))).isTrue();
    }

    @Test
    void theNativeImplementationLoadsOnThisPlatform() {
        assertThat(PasswordHasher.implementation()).isEqualTo("native Argon2 reference implementation");
    }

    @Test
    void manyConcurrentChecksQueueForTheirTurnAndAllGetTheRightAnswer() throws Exception {
        String hash = PasswordHasher.hash("queued password");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String attempt = i % 2 == 0 ? "queued password" : "wrong password " + i;
                results.add(pool.submit(() -> PasswordHasher.verify(attempt, hash)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).as("attempt %d", i).isEqualTo(i % 2 == 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
