package dev.portcullis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The committed seeds of a fuzz test, read from where Jazzer reads them: {@code <TestClass>Inputs/<method>/} beside the class. */
public final class FuzzSeeds {

    private FuzzSeeds() {
    }

    public static byte[] read(Class<?> fuzzTest, String method, String name) {
        String path = fuzzTest.getSimpleName() + "Inputs/" + method + "/" + name;
        try (InputStream in = fuzzTest.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
