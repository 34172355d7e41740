package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.c2cstream.schemas.kv.KvDtype;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's settings: defaults, a lossless round trip through keys, and errors that name the key at fault. */
class C2cJobConfigTest {
    private static final Map<String, String> RECEIVER_ONLY = Map.of("c2c.receiver", "/models/receiver");

    @Test
    void onlyTheReceiverIsRequiredAndEverythingElseHasItsDocumentedDefault() {
        C2cJobConfig c = C2cJobConfig.parse(RECEIVER_ONLY);
        assertEquals(Path.of("/models/receiver"), c.receiverDir());
        assertNull(c.sharerDir());
        assertNull(c.fuserDir());
        assertEquals(KvDtype.F32, c.segmentDtype());
        assertEquals(1, c.segmentLayers());
        assertEquals(1 << 20, c.maxSegmentBytes());
        assertEquals(60_000, c.leaseMillis());
        assertFalse(c.failOnLeaseExpiry());
        assertEquals(512L << 20, c.maxInflightKvBytes());
        assertEquals(16, c.maxDecodeBatch());
        assertEquals(256, c.maxNewTokens());
        assertEquals(64, c.t2tMaxNewTokens());
        assertEquals(4096, c.maxPromptTokens());
        assertEquals(1, c.sharerParallelism());
        assertEquals(1, c.receiverParallelism());
        assertEquals(1.0, c.slotCpuCores());
        assertEquals(512, c.slotTaskHeapMb());
        assertEquals(0.0, c.slotGpus());
        assertEquals(10_000, c.checkpointMillis());
        assertEquals("rocksdb", c.stateBackend());
    }

    @Test
    void theZooConfigurationNamesItsThreeDirectories() {
        C2cJobConfig c = C2cJobConfig.forZoo(Path.of("zoo"));
        assertEquals(Path.of("zoo/receiver"), c.receiverDir());
        assertEquals(Path.of("zoo/sharer"), c.sharerDir());
        assertEquals(Path.of("zoo/fuser"), c.fuserDir());
    }

    @Test
    void parsingTheKeysOfAConfigurationGivesItBack() {
        Map<String, String> all = new HashMap<>(C2cJobConfig.forZoo(Path.of("zoo")).asMap());
        all.putAll(Map.of("c2c.segment.dtype", "bf16", "c2c.segment.layers", "3", "c2c.lease.on-expiry", "fail",
                "c2c.slot.gpus", "1", "c2c.checkpoint.interval-ms", "0", "c2c.state.backend", "hashmap"));
        C2cJobConfig c = C2cJobConfig.parse(all);
        assertEquals(c, C2cJobConfig.parse(c.asMap()));
        assertEquals(KvDtype.BF16, c.segmentDtype());
        assertTrue(c.failOnLeaseExpiry());
        assertEquals(0, c.checkpointMillis());
        assertEquals(c, C2cJobConfig.parse(RECEIVER_ONLY).with("c2c.sharer", "zoo/sharer")
                .with("c2c.fuser", "zoo/fuser").with("c2c.receiver", "zoo/receiver")
                .with("c2c.segment.dtype", "BF16").with("c2c.segment.layers", "3")
                .with("c2c.lease.on-expiry", "fail").with("c2c.slot.gpus", "1.0")
                .with("c2c.checkpoint.interval-ms", "0").with("c2c.state.backend", "hashmap"));
    }

    @Test
    void keysThatAreNotOursAreLeftToFlink() {
        Map<String, String> settings = new HashMap<>(RECEIVER_ONLY);
        settings.put("taskmanager.numberOfTaskSlots", "4");
        settings.put("c2cx.anything", "goes");
        assertEquals(C2cJobConfig.parse(RECEIVER_ONLY), C2cJobConfig.parse(settings));
    }

    @Test
    void anUnknownC2cKeyIsRejectedByName() {
        Map<String, String> settings = new HashMap<>(RECEIVER_ONLY);
        settings.put("c2c.segment.layer", "2");
        String message = rejected(settings);
        assertTrue(message.contains("c2c.segment.layer;"), message);
        assertTrue(message.contains("c2c.segment.layers"), "lists the known keys: " + message);
    }

    @Test
    void aMissingReceiverIsRejectedByName() {
        String message = rejected(Map.of("c2c.sharer", "/models/sharer"));
        assertTrue(message.contains("c2c.receiver"), message);
    }

    @Test
    void aBadValueIsRejectedNamingItsKey() {
        for (Map.Entry<String, String> bad : Map.of("c2c.segment.layers", "0", "c2c.segment.max-bytes", "-1",
                "c2c.lease.on-expiry", "maybe", "c2c.segment.dtype", "f8", "c2c.decode.max-batch", "many",
                "c2c.state.backend", "memory", "c2c.slot.cpu-cores", "one", "c2c.lease.ms", "0",
                "c2c.slot.gpus", "-1.0", "c2c.checkpoint.interval-ms", "-5").entrySet()) {
            Map<String, String> settings = new HashMap<>(RECEIVER_ONLY);
            settings.put(bad.getKey(), bad.getValue());
            String message = rejected(settings);
            assertTrue(message.contains(bad.getKey()) && message.contains(bad.getValue()), message);
        }
    }

    private static String rejected(Map<String, String> settings) {
        return assertThrows(IllegalArgumentException.class, () -> C2cJobConfig.parse(settings)).getMessage();
    }
}
