package io.c2cstream.engine.checkpoint;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param begin offset of the first byte, relative to the start of the data section
 * @param end   offset one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long begin, long end) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
