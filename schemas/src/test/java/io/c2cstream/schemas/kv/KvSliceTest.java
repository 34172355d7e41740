package io.c2cstream.schemas.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A slice's tensors are native-order f32 bytes from each buffer's position; a wrong shape is refused by name. */
class KvSliceTest {

    @Test
    void floatViewsReadNativeOrderFloatsFromTheBuffersPositionWhateverItsOrderSetting() {
        ByteBuffer keys = ByteBuffer.allocate(3 + 4 * Float.BYTES);
        keys.position(3).slice().order(ByteOrder.nativeOrder()).asFloatBuffer().put(new float[] {1f, -2f, 0.5f, 8f});
        keys.order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        ByteBuffer values = ByteBuffer.allocateDirect(4 * Float.BYTES);
        KvSlice slice = new KvSlice(2, 10, 2, 1, 2, List.of(keys), List.of(values));

        FloatBuffer floats = slice.keyFloats(0);
        assertEquals(4, floats.remaining());
        assertEquals(-2f, floats.get(1));
        assertEquals(8f, floats.get(3));
        assertEquals(3, keys.position(), "a view leaves the buffer's position alone");
        assertEquals(4, slice.valueFloats(0).remaining());
    }

    @Test
    void aTensorOfTheWrongByteLengthIsRefusedNamingItsLayer() {
        ByteBuffer right = ByteBuffer.allocateDirect(2 * 3 * 4 * Float.BYTES);
        ByteBuffer oneFloatShort = ByteBuffer.allocateDirect(2 * 3 * 4 * Float.BYTES - Float.BYTES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KvSlice(5, 0, 3, 2, 4, List.of(right, right), List.of(right, oneFloatShort)));
        assertTrue(e.getMessage().startsWith("values tensor of layer 6 has 92 remaining bytes"), e.getMessage());
    }

    @Test
    void keysAndValuesComeInPairsOfAtLeastOneLayer() {
        ByteBuffer tensor = ByteBuffer.allocateDirect(Float.BYTES);
        assertThrows(IllegalArgumentException.class, () -> new KvSlice(0, 0, 1, 1, 1, List.of(), List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KvSlice(0, 0, 1, 1, 1, List.of(tensor, tensor), List.of(tensor)));
        assertTrue(e.getMessage().contains("got 2 key and 1 value tensors"), e.getMessage());
    }

    @Test
    void allocatedSlicesAreZeroedDirectNativeOrderBuffers() {
        KvSlice slice = KvSlice.allocate(4, 2, 16, 8, 2, 64);
        assertEquals(2, slice.layerCount());
        assertEquals(2 * 8 * 64, slice.tensorElements());
        ByteBuffer keys = slice.keys().get(1);
        assertTrue(keys.isDirect());
        assertEquals(ByteOrder.nativeOrder(), keys.order());
        assertEquals(0f, slice.keyFloats(1).get(slice.tensorElements() - 1));
    }
}
