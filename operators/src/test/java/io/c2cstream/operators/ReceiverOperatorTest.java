package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.schemas.avro.DeadLetter;
import io.c2cstream.schemas.avro.DeadLetterCode;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.InferenceResponse;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver stage's promises when the sharer is late, broken or early: nothing is lost and nothing hangs. Runs
 * the operator on the committed zoo under Flink's keyed test harness, which drives processing time by hand.
 */
class ReceiverOperatorTest {
    private KeyedTwoInputStreamOperatorTestHarness<String, InferenceRequest, SharerMessage, InferenceResponse> harness;

    private void open(C2cJobConfig config) throws Exception {
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(new ReceiverOperator(config),
                InferenceRequest::getRequestId, SharerMessage::requestId, Types.STRING);
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static C2cJobConfig config(String... overrides) {
        return ZooRequests.config(overrides).with("c2c.lease.ms", "1000");
    }

    /** Advances processing time until nothing is pending: leases fire and decode steps run. */
    private void runUntil(long millis) throws Exception {
        for (long t = 1; t <= millis; t += 100) {
            harness.setProcessingTime(t);
        }
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static String receiverOnlyAnswer() {
        try (LanguageModel receiver = LanguageModel.load(ZooRequests.ZOO.resolve("receiver"), Device.cpu())) {
            C2cPipeline pipeline = new C2cPipeline(receiver, null, null, new C2cPipeline.Options(16, 8, "{question}"));
            return pipeline.run(new C2cPipeline.Request(ZooRequests.PROMPT, ZooRequests.QUESTION), Mode.RECEIVER_ONLY)
                    .text();
        }
    }

    @Test
    void aC2cRequestWhoseSharerMissesItsLeaseIsAnsweredReceiverOnlyAndSaysSo() throws Exception {
        open(config());
        harness.processElement1(new StreamRecord<>(ZooRequests.request("late", io.c2cstream.schemas.avro.Mode.C2C)));
        runUntil(999);
        assertTrue(harness.extractOutputValues().isEmpty(), "no answer before the lease ends");
        runUntil(1500);
        List<InferenceResponse> out = harness.extractOutputValues();
        assertEquals(1, out.size());
        InferenceResponse r = out.get(0);
        assertTrue(r.getFallback());
        assertEquals(io.c2cstream.schemas.avro.Mode.RECEIVER_ONLY, r.getMode());
        assertTrue(r.getFallbackReason().contains("c2c.lease.ms"), r.getFallbackReason());
        assertEquals(receiverOnlyAnswer(), r.getAnswer(), "the fallback is exactly the receiver's own answer");
    }

    @Test
    void withOnExpiryFailALateRequestBecomesADeadLetterInstead() throws Exception {
        open(config("c2c.lease.on-expiry", "fail"));
        harness.processElement1(new StreamRecord<>(ZooRequests.request("late", io.c2cstream.schemas.avro.Mode.T2T)));
        runUntil(1500);
        assertTrue(harness.extractOutputValues().isEmpty());
        List<DeadLetter> dead = deadLetters();
        assertEquals(1, dead.size());
        assertEquals(DeadLetterCode.DEADLINE_EXCEEDED, dead.get(0).getErrorCode());
        assertEquals("late", dead.get(0).getRequestId());
        assertTrue(dead.get(0).getOriginalBytes().remaining() > 0, "the request is kept for a replay");
    }

    @Test
    void aCorruptSegmentIsNeverFusedTheRequestFallsBackAndSaysWhy() throws Exception {
        open(config());
        harness.processElement1(new StreamRecord<>(ZooRequests.request("broken", io.c2cstream.schemas.avro.Mode.C2C)));
        harness.processElement2(new StreamRecord<>(SharerMessage.segment("broken", new byte[] {1, 2, 3}, 5)));
        runUntil(500);
        InferenceResponse r = harness.extractOutputValues().get(0);
        assertTrue(r.getFallback());
        assertTrue(r.getFallbackReason().startsWith("corrupt KV segment"), r.getFallbackReason());
    }

    @Test
    void aSharerFailureBecomesADeadLetterWithTheSharersCode() throws Exception {
        open(config());
        harness.processElement1(new StreamRecord<>(ZooRequests.request("long", io.c2cstream.schemas.avro.Mode.SHARER_ONLY)));
        harness.processElement2(new StreamRecord<>(SharerMessage.failed("long", "PROMPT_TOO_LONG", "too long")));
        assertEquals(DeadLetterCode.PROMPT_TOO_LONG, deadLetters().get(0).getErrorCode());
        assertTrue(harness.extractOutputValues().isEmpty());
    }

    @Test
    void sharerTextThatArrivesBeforeItsRequestIsKeptAndUsed() throws Exception {
        open(config());
        var text = new io.c2cstream.engine.generate.Generation(new int[] {5, 6}, "Vibu always wears purple.",
                io.c2cstream.engine.generate.Generation.FinishReason.MAX_TOKENS, 1, 1);
        harness.processElement2(new StreamRecord<>(SharerMessage.text("early", text)));
        harness.processElement1(new StreamRecord<>(ZooRequests.request("early", io.c2cstream.schemas.avro.Mode.T2T)));
        runUntil(500);
        InferenceResponse r = harness.extractOutputValues().get(0);
        assertEquals(io.c2cstream.schemas.avro.Mode.T2T, r.getMode());
        assertFalse(r.getFallback());
    }

    @Test
    void aLateSharerMessageAfterTheAnswerIsDropped() throws Exception {
        open(config());
        harness.processElement1(new StreamRecord<>(ZooRequests.request("once", io.c2cstream.schemas.avro.Mode.SHARER_ONLY)));
        var answer = new io.c2cstream.engine.generate.Generation(new int[] {5}, "A",
                io.c2cstream.engine.generate.Generation.FinishReason.MAX_TOKENS, 1, 1);
        harness.processElement2(new StreamRecord<>(SharerMessage.text("once", answer)));
        harness.processElement2(new StreamRecord<>(SharerMessage.text("once", answer)));
        runUntil(1500);
        assertEquals(1, harness.extractOutputValues().size(), "one request, one answer");
        assertTrue(deadLetters().isEmpty());
    }
}
