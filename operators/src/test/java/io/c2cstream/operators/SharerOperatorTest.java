package io.c2cstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.schemas.avro.InferenceRequest;
import io.c2cstream.schemas.avro.Mode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sharer stage writes texts (t2t background, sharer_only answers) for many requests at once, each exactly as
 * the sharer writes it alone, and a text being written when a checkpoint is taken is written again after a
 * restore, once. Runs on the committed zoo under Flink's keyed test harness, which drives processing time by hand.
 */
class SharerOperatorTest {
    private static final C2cJobConfig CONFIG = ZooRequests.config();
    private static LoadedPair alone;
    private static final Map<Mode, Generation> writtenAlone = new EnumMap<>(Mode.class);

    private KeyedOneInputStreamOperatorTestHarness<String, InferenceRequest, SharerMessage> harness;

    @BeforeAll
    static void loadThePairForReference() {
        alone = LoadedPair.load("reference", CONFIG, Device.cpu());
    }

    @AfterAll
    static void closeThePair() {
        alone.close();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, InferenceRequest, SharerMessage> open(
            OperatorSubtaskState restoredFrom) throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new SharerOperator(CONFIG),
                InferenceRequest::getRequestId, Types.STRING);
        harness.setProcessingTime(0);
        if (restoredFrom != null) {
            harness.initializeState(restoredFrom);
        }
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** Lets processing time pass: each tick runs the scheduled decode steps. */
    private void runFor(int ticks) throws Exception {
        long now = harness.getProcessingTime();
        for (int t = 1; t <= ticks; t++) {
            harness.setProcessingTime(now + t);
        }
    }

    private Map<String, SharerMessage> texts() {
        return harness.extractOutputValues().stream()
                .collect(Collectors.toMap(SharerMessage::requestId, m -> m, (a, b) -> {
                    throw new AssertionError("two texts for request " + a.requestId());
                }));
    }

    /** What the sharer writes for the request when it runs alone, through the engine; written once per mode. */
    private static Generation writtenAlone(Mode mode) {
        return writtenAlone.computeIfAbsent(mode, SharerOperatorTest::writeAlone);
    }

    private static Generation writeAlone(Mode mode) {
        InferenceRequest request = ZooRequests.request("alone", mode);
        var prompts = alone.prompts();
        return mode == Mode.T2T
                ? alone.sharer().generator().generate(prompts.backgroundIds(Requests.prompt(request)),
                        prompts.backgroundSampling())
                : alone.sharer().generator().generate(prompts.answerIds(alone.sharer(), Requests.prompt(request)),
                        Requests.sampling(alone.sharer(), request, CONFIG.maxNewTokens()));
    }

    private static void assertWrittenAsAlone(Mode mode, SharerMessage message) {
        Generation expected = writtenAlone(mode);
        assertEquals(SharerMessage.Kind.TEXT, message.kind());
        assertEquals(expected.text(), message.text(), message.requestId());
        assertArrayEquals(expected.tokens(), message.tokens(), message.requestId());
    }

    @Test
    void textsAreWrittenTogetherEachAsTheSharerWritesItAlone() throws Exception {
        open(null);
        for (String id : List.of("t2t-1", "t2t-2", "t2t-3")) {
            harness.processElement(new StreamRecord<>(ZooRequests.request(id, Mode.T2T)));
        }
        harness.processElement(new StreamRecord<>(ZooRequests.request("answer", Mode.SHARER_ONLY)));
        assertTrue(harness.extractOutputValues().isEmpty(), "writing runs between records, not inside them");
        runFor(200);
        Map<String, SharerMessage> texts = texts();
        assertEquals(4, texts.size(), texts.keySet().toString());
        for (String id : List.of("t2t-1", "t2t-2", "t2t-3")) {
            assertWrittenAsAlone(Mode.T2T, texts.get(id));
        }
        assertWrittenAsAlone(Mode.SHARER_ONLY, texts.get("answer"));
    }

    @Test
    void receiverOnlyRequestsPassTheSharerBy() throws Exception {
        open(null);
        harness.processElement(new StreamRecord<>(ZooRequests.request("alone", Mode.RECEIVER_ONLY)));
        runFor(10);
        assertTrue(harness.extractOutputValues().isEmpty());
    }

    @Test
    void aTextBeingWrittenAtACheckpointIsWrittenAgainAfterARestoreExactlyOnce() throws Exception {
        open(null);
        harness.processElement(new StreamRecord<>(ZooRequests.request("background", Mode.T2T)));
        harness.processElement(new StreamRecord<>(ZooRequests.request("answer", Mode.SHARER_ONLY)));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        assertTrue(harness.extractOutputValues().isEmpty(), "both texts are still being written");
        harness.close();

        open(checkpoint);
        runFor(200);
        Map<String, SharerMessage> texts = texts();
        assertEquals(2, texts.size(), texts.keySet().toString());
        assertWrittenAsAlone(Mode.T2T, texts.get("background"));
        assertWrittenAsAlone(Mode.SHARER_ONLY, texts.get("answer"));
    }

    @Test
    void theInputsEndFinishesEveryTextBeingWritten() throws Exception {
        open(null);
        harness.processElement(new StreamRecord<>(ZooRequests.request("last", Mode.T2T)));
        harness.endInput();
        assertWrittenAsAlone(Mode.T2T, texts().get("last"));
    }
}
