package io.c2cstream.job.cli;

import picocli.CommandLine.Option;

/**
 * {@code --intra-op-threads N} for the commands that run the zoo's tiny models: libtorch's threads per operation.
 * Their every operation is so small that a second thread costs more in synchronisation than it computes, while c2c
 * and the streaming job use the other core for the sharer; so one thread is their default.
 */
final class IntraOpThreadsOption {
    /** DJL reads it once, when the process makes its first array. */
    private static final String PROPERTY = "ai.djl.pytorch.num_threads";

    @Option(names = "--intra-op-threads", paramLabel = "N", description = "libtorch's threads per operation (default:"
            + " the JVM's -D" + PROPERTY + " if given, else 1: with the zoo's models every mode runs faster on one)")
    private Integer threads;

    /** Sets the thread count for the engine this process is about to start; call before loading any model. */
    void apply() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--intra-op-threads must be at least 1, got " + threads);
        }
        if (threads != null || System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Integer.toString(threads == null ? 1 : threads));
        }
    }
}
