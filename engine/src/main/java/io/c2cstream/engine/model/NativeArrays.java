package io.c2cstream.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Java data and constants as arrays whose memory libtorch owns: the way they enter any computation that autograd
 * may record (the forward pass, the fuser, losses).
 *
 * <p>DJL's {@code NDManager.create(float[]…)} does not copy into libtorch: it wraps a direct ByteBuffer with
 * {@code torch::from_blob}, and only the Java array object keeps that buffer alive. Views, and the tensors autograd
 * saves for the backward pass, share the buffer but not that object, so once the array is closed (say with a
 * forward pass's scope, before the trainer's backward pass) the garbage collector may free memory that libtorch
 * still reads: gradients come out wrong, huge or NaN, depending on when the collector ran. DJL's arithmetic with a
 * Java number ({@code x.mul(0.5f)}, {@code x.div(n)}) is the same trap: it wraps the number that way and closes it
 * as soon as the operation returns, although a product or a quotient keeps its operand for the backward pass.
 * (Sums and differences keep nothing, so {@code add} and {@code sub} with a number are safe.)
 *
 * <p>Arrays made here are reference-counted by libtorch like any computed tensor: closing them only drops this
 * handle, and the memory goes when the last handle or graph lets go of it.
 */
public final class NativeArrays {
    private NativeArrays() {}

    /** An f32 array {@code shape} holding {@code data} (row-major), owned by {@code manager}. */
    public static NDArray copyOf(NDManager manager, float[] data, Shape shape) {
        return ownedCopy(manager.create(data, shape));
    }

    /** An int64 array {@code shape} holding {@code data} (row-major), owned by {@code manager}. */
    public static NDArray copyOf(NDManager manager, long[] data, Shape shape) {
        return ownedCopy(manager.create(data, shape));
    }

    /** A 0-d f32 array holding {@code value}, owned by {@code manager}. */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }

    /** {@code x · factor}, for DJL's {@code x.mul(factor)} (see the class comment). */
    public static NDArray mul(NDArray x, float factor) {
        try (NDArray operand = scalar(x.getManager(), factor)) {
            return x.mul(operand);
        }
    }

    /** {@code x / divisor}, for DJL's {@code x.div(divisor)} (see the class comment). */
    public static NDArray div(NDArray x, float divisor) {
        try (NDArray operand = scalar(x.getManager(), divisor)) {
            return x.div(operand);
        }
    }

    /** libtorch's copy of an array that wraps Java memory; the wrapper is closed. */
    private static NDArray ownedCopy(NDArray wrapper) {
        try (wrapper) {
            return wrapper.duplicate();
        }
    }
}
