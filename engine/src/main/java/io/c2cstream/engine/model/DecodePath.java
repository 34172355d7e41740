package io.c2cstream.engine.model;

/** Where a model computes its one-token decode steps; prefill always runs on the tensor backend. */
public enum DecodePath {
    /**
     * {@link #JAVA} where it can run and the model has at most {@value DecodeKernel#AUTO_MAX_PARAMETERS} parameters,
     * else {@link #BACKEND}.
     */
    AUTO,
    /** On the tensor backend, operation by operation like prefill. */
    BACKEND,
    /**
     * In Java with SIMD lanes, one call per step: needs the CPU, a JVM started with
     * {@code --add-modules jdk.incubator.vector}, and SIMD vectors of at least 8 floats (AVX2 or wider).
     */
    JAVA
}
