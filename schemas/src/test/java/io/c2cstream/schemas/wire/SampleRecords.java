package io.c2cstream.schemas.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.c2cstream.schemas.avro.BenchmarkItem;
import io.c2cstream.schemas.avro.ChatMessage;
import io.c2cstream.schemas.avro.ChatPrompt;
import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.FinishReason;
import io.c2cstream.schemas.avro.GenerationParams;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.InferenceResponse;
import io.c2cstream.schemas.avro.KvSegment;
import io.c2cstream.schemas.avro.Mode;
import io.c2cstream.schemas.avro.SegmentCodec;
import io.c2cstream.schemas.avro.SegmentDtype;
import io.c2cstream.schemas.avro.SegmentScales;
import io.c2cstream.schemas.avro.StageTimings;
import org.apache.avro.specific.SpecificRecord;

/** One record of each contract with every field set to a non-default value, so that evolution tests see losses. */
final class SampleRecords {

    private SampleRecords() {
    }

    static InferenceRequest request() {
        return InferenceRequest.newBuilder()
                .setRequestId("req-42")
                .setTenant("acme")
                .setPairId("qwen3-0.6b+qwen2.5-0.5b")
                .setReceiverModelId("Qwen/Qwen3-0.6B")
                .setSharerModelId("Qwen/Qwen2.5-0.5B-Instruct")
                .setMode(Mode.T2T)
                .setPrompt(new ChatPrompt(List.of(new ChatMessage("system", "Answer with one letter."),
                        new ChatMessage("user", "2 + 2 = ? A) 3 B) 4"))))
                .setGeneration(new GenerationParams(64, 0.7f, 40, 0.9f, 1234L))
                .setBenchmarkItem(new BenchmarkItem("mmlu-redux", "item-7", "B"))
                .setDeadline(Instant.ofEpochMilli(1_767_225_600_000L))
                .build();
    }

    static InferenceResponse response() {
        return InferenceResponse.newBuilder()
                .setRequestId("req-42")
                .setMode(Mode.RECEIVER_ONLY)
                .setAnswer("B")
                .setTokenIds(List.of(33, 151645))
                .setFinishReason(FinishReason.STOP)
                .setTimings(new StageTimings(1200L, 900L, 300L, 450L, 8000L, null))
                .setFallback(true)
                .setFallbackReason("kv segments missed their lease")
                .setReceiverModelVersion("Qwen/Qwen3-0.6B@c1899de")
                .setSharerModelVersion("Qwen/Qwen2.5-0.5B-Instruct@7ae5576")
                .setFuserVersion("c2c-qwen3-0.6b-qwen2.5-0.5b@v1")
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setOriginalBytes(ByteBuffer.wrap("not avro".getBytes(StandardCharsets.UTF_8)))
                .setRequestId("req-43")
                .setSourceTopic("c2c.requests")
                .setSourcePartition(3)
                .setSourceOffset(987_654L)
                .setErrorCode(DeadLetterCode.UNKNOWN_SCHEMA)
                .setMessage("writer schema fingerprint 0123456789ABCDEF is not a known version")
                .setFailedAt(Instant.ofEpochMilli(1_767_225_601_000L))
                .build();
    }

    static KvSegment kvSegment() {
        return KvSegment.newBuilder()
                .setFormatVersion(1)
                .setRequestId("req-42")
                .setModelId("Qwen/Qwen2.5-0.5B-Instruct")
                .setLayerStart(4)
                .setLayerCount(4)
                .setTokenStart(128)
                .setTokenCount(64)
                .setKvHeads(2)
                .setHeadDim(64)
                .setDtype(SegmentDtype.INT8)
                .setCodec(SegmentCodec.DENSE)
                .setQuantization(new SegmentScales(112, 1024))
                .setPayloadOffset(4208)
                .setPayloadLength(65_536)
                .setChecksum(0xDEADBEEFL)
                .setSegmentIndex(1)
                .setSegmentCount(6)
                .build();
    }

    /** The four samples, for parameterized tests. */
    static List<SpecificRecord> all() {
        return List.of(request(), response(), deadLetter(), kvSegment());
    }
}
