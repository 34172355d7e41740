package io.c2cstream.job.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.c2cstream.engine.c2c.C2cPipeline;
import io.c2cstream.engine.c2c.Mode;
import io.c2cstream.engine.c2c.PipelineEvaluation;
import io.c2cstream.engine.eval.BenchmarkItem;
import io.c2cstream.engine.eval.BenchmarkSet;
import io.c2cstream.engine.eval.BenchmarkSpec;
import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.zoo.ZooData;
import io.c2cstream.job.topology.C2cTopology;
import io.c2cstream.operators.C2cJobConfig;
import io.c2cstream.schemas.avro.InferenceResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming job predicts on benchmark replays what the engine predicts in process, and survives a failure. */
class FlinkReplayTest {
    /** Tests run in the module directory; the zoo sits at the project root. */
    private static final Path ZOO = Path.of("..", "zoo");
    private static final List<Mode> MODES = List.of(Mode.RECEIVER_ONLY, Mode.SHARER_ONLY, Mode.T2T, Mode.C2C);
    private static BenchmarkSet heldOut;

    @TempDir
    Path out;

    @BeforeAll
    static void readBenchmark() throws java.io.IOException {
        heldOut = BenchmarkSpec.parse("arc:" + ZOO.resolve(ZooData.ARC_FILE)).read();
    }

    private static C2cJobConfig config() {
        return C2cJobConfig.forZoo(ZOO).with("c2c.checkpoint.interval-ms", "500");
    }

    private List<ItemResult> engineOnly(List<BenchmarkItem> items) {
        try (LanguageModel receiver = LanguageModel.load(ZOO.resolve("receiver"), Device.cpu());
             LanguageModel sharer = LanguageModel.load(ZOO.resolve("sharer"), Device.cpu());
             C2cFuser fuser = C2cFuser.load(ZOO.resolve("fuser"), Device.cpu());
             C2cPipeline pipeline = new C2cPipeline(receiver, sharer, fuser, new C2cPipeline.Options(
                     ReplayRequests.MAX_NEW_TOKENS, config().t2tMaxNewTokens(), C2cPipeline.Options.reference()
                             .backgroundPrompt()))) {
            BenchmarkSet set = new BenchmarkSet(heldOut.benchmark(), items, heldOut.skipped());
            return PipelineEvaluation.run(pipeline, set, MODES, out.resolve("local"), r -> { }).results();
        }
    }

    /**
     * The same prediction for every item and mode, and the same text for all but a few. The job decodes many
     * sequences in one batch (receiver and sharer) and the engine-only loop one at a time; batched kernels sum in
     * another order, so where two next tokens are within rounding of each other a long free text (the sharer's
     * 64-token writing) can take the other branch. Such texts are printed; more than one in a hundred fails.
     */
    private static void assertSamePredictions(List<ItemResult> expected, List<ItemResult> actual) {
        assertEquals(expected.size(), actual.size(), "one result per item and mode");
        List<String> otherTexts = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            ItemResult e = expected.get(i);
            ItemResult a = actual.get(i);
            String where = e.id() + " " + e.mode();
            assertEquals(e.id() + e.mode(), a.id() + a.mode(), "results in item-major order");
            assertEquals(e.predicted(), a.predicted(), where);
            if (!e.text().equals(a.text())) {
                otherTexts.add(where + ": engine-only \"" + e.text() + "\", job \"" + a.text() + "\"");
            }
        }
        otherTexts.forEach(System.out::println);
        assertTrue(otherTexts.size() * 100 <= expected.size(), otherTexts.size() + " of " + expected.size()
                + " texts differ: " + otherTexts);
    }

    @Test
    void onTheWholeZooBenchmarkTheJobPredictsWhatTheEngineDoesInEveryMode() throws Exception {
        List<ItemResult> flink = FlinkReplay.run(heldOut.items(), MODES, config(), r -> { });
        assertSamePredictions(engineOnly(heldOut.items()), flink);
    }

    /** Fails the job once, after a checkpoint and some answers, and lets the restart strategy bring it back. */
    private static final class FailOnce extends RichMapFunction<InferenceResponse, InferenceResponse>
            implements CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private boolean checkpointed;
        private int seen;

        @Override
        public InferenceResponse map(InferenceResponse response) {
            if (checkpointed && ++seen >= 5 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure mid-replay");
            }
            return response;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    @Test
    void aTaskThatFailsMidReplayIsRestoredAndEveryItemIsReportedExactlyOnce() throws Exception {
        List<BenchmarkItem> items = heldOut.items().subList(0, 40);
        C2cJobConfig config = config().with("c2c.checkpoint.interval-ms", "200");
        StreamExecutionEnvironment env = FlinkReplay.environment(config);
        C2cTopology.Outputs outputs = C2cTopology.build(FlinkReplay.source(env, items, MODES), config);
        DataStream<InferenceResponse> failing = outputs.responses()
                .map(new FailOnce(), new AvroTypeInfo<>(InferenceResponse.class)).slotSharingGroup(C2cTopology.ingestGroup());
        List<ItemResult> results = FlinkReplay.collect(failing, outputs, items, MODES, r -> { });

        assertTrue(FailOnce.FAILED.get(), "the failure was injected");
        Set<String> answered = new HashSet<>();
        for (ItemResult r : results) {
            assertTrue(answered.add(r.id() + "/" + r.mode()), "answered twice: " + r.id() + " " + r.mode());
        }
        assertSamePredictions(engineOnly(new ArrayList<>(items)), results);
    }
}
