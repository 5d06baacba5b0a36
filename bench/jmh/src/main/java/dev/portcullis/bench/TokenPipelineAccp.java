package dev.portcullis.bench;

import org.openjdk.jmh.annotations.Fork;

/** The token pipeline in JVMs where CryptoProviders chooses Amazon Corretto Crypto Provider (AWS-LC). */
@Fork(value = 1, jvmArgsAppend = "-Dportcullis.disableAccp=false")
public class TokenPipelineAccp extends TokenPipelineBenchmark {

    @Override
    protected String expectedProvider() {
        return ACCP;
    }
}
