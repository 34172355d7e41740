package io.c2cstream.engine.model;

import ai.djl.Device;

/**
 * A one-token forward pass of a batch computed outside the tensor backend. A decode step of a small model is a few
 * hundred tiny operations, and through DJL each costs microseconds of dispatch however little arithmetic it does;
 * computed in Java over the cache's own memory, the step is one call with no dispatch at all.
 */
interface DecodeKernel {

    /**
     * Runs one new token per row on top of what the cache holds. The cache has already reserved the token's column
     * ({@link KvCache#append}); the kernel writes the token's keys and values into it.
     *
     * @param column the new tokens' column
     * @return logits {@code [batch × vocab]}, row-major
     */
    float[] decode(TokenBatch batch, KvCache cache, int column);

    /**
     * Models up to this many parameters decode in Java under {@link DecodePath#AUTO}. The kernel keeps its own
     * heap copy of the weights (4 bytes a parameter), and beyond tens of millions of parameters the arithmetic of
     * a step outweighs the backend's per-operation cost anyway.
     */
    long AUTO_MAX_PARAMETERS = 32_000_000L;

    /**
     * The kernel {@code path} asks for on this model, JVM and device, or null for the backend.
     *
     * @throws IllegalArgumentException when {@link DecodePath#JAVA} is asked for and cannot run, saying why
     */
    static DecodeKernel select(DecodePath path, ModelConfig config, ModelWeights weights, Device device) {
        if (path == DecodePath.BACKEND) {
            return null;
        }
        String obstacle = obstacle(device);
        if (path == DecodePath.JAVA && obstacle != null) {
            throw new IllegalArgumentException("decode path JAVA: " + obstacle);
        }
        if (obstacle != null || path == DecodePath.AUTO && ModelTensors.parameterCount(config) > AUTO_MAX_PARAMETERS) {
            return null;
        }
        return new VectorDecodeKernel(config, weights, intraOpThreads());
    }

    /**
     * The threads one step may use: the backend's intra-op thread count ({@code -Dai.djl.pytorch.num_threads}, by
     * default one per processor), so that one setting governs both paths.
     */
    private static int intraOpThreads() {
        return Math.max(1, Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors()));
    }

    /** Why Java decoding cannot run here, or null. */
    private static String obstacle(Device device) {
        if (!Device.Type.CPU.equals(device.getDeviceType())) {
            return "the model is on " + device + " and Java decoding runs on the CPU; use DecodePath.BACKEND or AUTO";
        }
        // VectorDecodeKernel links against the module: touched without it, it would throw NoClassDefFoundError
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "start the JVM with --add-modules jdk.incubator.vector";
        }
        if (!VectorDecodeKernel.suitsThisCpu()) {
            return "this CPU's SIMD vectors hold fewer than 8 floats";
        }
        return null;
    }
}
