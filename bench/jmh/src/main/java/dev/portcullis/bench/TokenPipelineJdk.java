package dev.portcullis.bench;

import org.openjdk.jmh.annotations.Fork;

/** The token pipeline in JVMs started with -Dportcullis.disableAccp=true: the JDK's own providers sign. */
@Fork(value = 1, jvmArgsAppend = "-Dportcullis.disableAccp=true")
public class TokenPipelineJdk extends TokenPipelineBenchmark {

    @Override
    protected String expectedProvider() {
        return "JDK";
    }
}
