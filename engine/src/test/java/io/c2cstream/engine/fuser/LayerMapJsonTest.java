package io.c2cstream.engine.fuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code projector_config.json} layout of method §1.9. */
class LayerMapJsonTest {

    @TempDir Path dir;

    @Test
    void readsTheReferenceLayout() {
        LayerMap map = LayerMapJson.parse(
                "{\"0\": {\"1\": {\"0\": [[0, 0]], \"1\": [[0, 1]], \"2\": [[1, 2], [0, 2]]}}}", "test");
        assertEquals(3, map.receiverLayers());
        assertArrayEquals(new int[] {0, 0, 1}, map.firstSharerLayers());
        assertEquals(List.of(new LayerSource(1, 2), new LayerSource(0, 2)), map.sources(2));
    }

    @Test
    void layersWithoutAnEntryAreNotFused() {
        LayerMap map = LayerMapJson.parse("{\"0\": {\"1\": {\"2\": [[5, 0]]}}}", "test");
        assertArrayEquals(new int[] {-1, -1, 5}, map.firstSharerLayers());
        assertEquals(List.of(), map.sources(0));
    }

    @Test
    void roundTripsThroughAFile() {
        LayerMap original = new LastAlignedLayerMap(28, 24);
        Path file = dir.resolve(LayerMapJson.FILE_NAME);
        LayerMapJson.write(original, file);
        LayerMap read = LayerMapJson.read(file);
        assertEquals(original.receiverLayers(), read.receiverLayers());
        for (int t = 0; t < original.receiverLayers(); t++) {
            assertEquals(original.sources(t), read.sources(t));
        }
    }

    @Test
    void writesDecimalStringKeysAndPairs() {
        String json = LayerMapJson.format(new LastAlignedLayerMap(2, 3));
        assertEquals("{\"0\":{\"1\":{\"0\":[[1,0]],\"1\":[[2,1]]}}}", json.replaceAll("\\s", ""));
    }

    @Test
    void rejectsOtherLayoutsSayingWhatIsExpected() {
        for (String bad : List.of("[]", "{\"0\": {\"2\": {}}}", "{\"0\": {\"1\": {\"x\": [[0, 0]]}}}",
                "{\"0\": {\"1\": {\"0\": [0, 0]}}}", "{\"0\": {\"1\": {\"0\": [[0, -1]]}}}", "{\"0\": ")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> LayerMapJson.parse(bad, "cfg.json"), bad);
            assertTrue(e.getMessage().startsWith("cfg.json"), e.getMessage());
        }
    }
}
