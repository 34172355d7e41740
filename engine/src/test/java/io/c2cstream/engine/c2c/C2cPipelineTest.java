package io.c2cstream.engine.c2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.generate.TinyChatModels;
import io.c2cstream.engine.model.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mode through one API, on tiny chat models. */
class C2cPipelineTest {
    private static final C2cPipeline.Request REQUEST = new C2cPipeline.Request("abc ili", "abc");
    private static final C2cPipeline.Options OPTIONS = new C2cPipeline.Options(6, 5, "bg {question}");

    @TempDir
    Path dir;

    private LanguageModel receiver;
    private LanguageModel sharer;

    @BeforeEach
    void load() {
        receiver = LanguageModel.load(TinyChatModels.write(dir, "receiver", 1), Device.cpu());
        sharer = LanguageModel.load(TinyChatModels.write(dir, "sharer", 2), Device.cpu());
    }

    @AfterEach
    void close() {
        receiver.close();
        sharer.close();
    }

    private C2cFuser fuser(boolean alignTokens, boolean open) {
        ModelConfig r = receiver.model().config();
        ModelConfig s = sharer.model().config();
        FuserConfig config = new FuserConfig("receiver", "sharer", alignTokens, "longest", "last_aligned", "sequential",
                ProjectorConfig.reference(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 8, 8));
        C2cFuser fuser = C2cFuser.initialize(config, r, s, Device.cpu(), 3);
        if (open) {
            fuser.projectors().forEach(p -> p.setGateLogits(1f, 1f));
        }
        return fuser;
    }

    @Test
    void everyModeAnswersWithItsOwnStages() {
        try (C2cFuser fuser = fuser(false, true); C2cPipeline pipeline = new C2cPipeline(receiver, sharer, fuser, OPTIONS)) {
            for (Mode mode : Mode.values()) {
                C2cPipeline.Answer a = pipeline.run(REQUEST, mode);
                assertEquals(mode, a.mode());
                assertTrue(a.tokens().length > 0 && a.tokens().length <= 6, mode + " answer length");
                StageTimings t = a.timings();
                // c2c's sharer prefill runs beside the receiver's, so its stages may sum to more than the latency.
                double sequentialStages = mode == Mode.C2C ? t.totalMs() - t.sharerPrefillMs() : t.totalMs();
                assertTrue(a.latencyMs() >= sequentialStages * 0.99, mode + " latency covers its sequential stages");
                assertEquals(mode == Mode.C2C, t.fuseMs() > 0, mode + " fuse stage");
                assertEquals(mode == Mode.T2T, t.sharerDecodeMs() > 0, mode + " sharer decode stage");
            }
        }
    }

    @Test
    void closedGatesMakeC2cTheReceiverAlone() {
        try (C2cFuser closed = fuser(false, false); C2cPipeline pipeline = new C2cPipeline(receiver, sharer, closed, OPTIONS)) {
            assertArrayEquals(pipeline.run(REQUEST, Mode.RECEIVER_ONLY).tokens(), pipeline.run(REQUEST, Mode.C2C).tokens());
        }
    }

    @Test
    void alignedPromptsFuseOnlyTheMessageTokens() {
        try (C2cFuser fuser = fuser(true, true); C2cPipeline pipeline = new C2cPipeline(receiver, sharer, fuser, OPTIONS)) {
            C2cPipeline.Answer a = pipeline.run(REQUEST, Mode.C2C);
            assertTrue(a.timings().fuseMs() > 0);
            assertFalse(a.text() == null);
        }
    }

    @Test
    void modesWithoutTheirModelsSayWhatIsMissing() {
        C2cPipeline receiverOnly = new C2cPipeline(receiver, null, null, OPTIONS);
        assertEquals(Mode.RECEIVER_ONLY, receiverOnly.run(REQUEST, Mode.RECEIVER_ONLY).mode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> receiverOnly.run(REQUEST, Mode.C2C));
        assertTrue(e.getMessage().contains("needs a sharer and a fuser"), e.getMessage());
    }
}
