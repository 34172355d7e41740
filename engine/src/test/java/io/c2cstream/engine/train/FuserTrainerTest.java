package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.model.ModelFamily;
import io.c2cstream.engine.model.TinyModels;
import io.c2cstream.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuserTrainerTest {
    @TempDir
    Path dir;

    private static final List<TrainingExample> EXAMPLES = List.of(
            TrainingExample.sharedTokens(new int[] {3, 14, 15, 9, 26, 5, 35}, 5),
            TrainingExample.sharedTokens(new int[] {8, 9, 7, 9, 32, 38, 46, 2}, 4),
            TrainingExample.sharedTokens(new int[] {26, 43, 38, 32, 7, 9}, 4),
            TrainingExample.sharedTokens(new int[] {50, 28, 8, 41, 9, 7, 16}, 5));

    @Test
    void onlyTheProjectorsLearnAndTheReplyLossGoesDown() {
        try (TransformerModel receiver = TinyModels.load(dir.resolve("r"), ModelFamily.QWEN3, 31);
             TransformerModel sharer = TinyModels.load(dir.resolve("s"), ModelFamily.LLAMA, 32)) {
            try (C2cFuser fuser = tinyFuser(receiver, sharer, 0.0, 1);
                 FuserTrainer trainer = new FuserTrainer(receiver, sharer, fuser, 0, 0, 0.01)) {
                float[] frozenBefore = receiverWeightsProbe(receiver);
                double before = trainer.evaluate(EXAMPLES);
                double firstTrainingLoss = 0;
                double lastTrainingLoss = 0;
                for (int step = 0; step < 25; step++) {
                    double temperature = Schedules.temperature(step, 1.0, 0.001, 25);
                    double loss = (trainer.accumulate(EXAMPLES.subList(0, 2), temperature, 2, new Random(step))
                            + trainer.accumulate(EXAMPLES.subList(2, 4), temperature, 2, new Random(-step))) / 2;
                    firstTrainingLoss = step == 0 ? loss : firstTrainingLoss;
                    lastTrainingLoss = loss;
                    trainer.step(3e-3, 1.0, Schedules.temperature(step + 1, 1.0, 0.001, 25));
                }
                assertTrue(lastTrainingLoss < 0.8 * firstTrainingLoss, firstTrainingLoss + " -> " + lastTrainingLoss);
                assertEquals(25, trainer.optimizer().steps());
                // Gates learned to open where fusion helps, and the frozen receiver did not move.
                assertTrue(fuser.projectors().stream().anyMatch(p -> p.keyGateOpen() || p.valueGateOpen()));
                double after = trainer.evaluate(EXAMPLES);
                assertTrue(after < before, "eval loss " + before + " -> " + after);
                assertEquals(0.001f, fuser.projectors().get(0).tensors().get("gate_temperature").getFloat(), 1e-6);
                org.junit.jupiter.api.Assertions.assertArrayEquals(frozenBefore, receiverWeightsProbe(receiver));
            }
        }
    }

    @Test
    void frozenPrefixesGiveTheLossAndGradientsOfRunningBothModelsOverThePrefixInEveryStep() {
        // An unfused system turn of 2 tokens, a fused run, then the last instruction token and the reply;
        // rows of different lengths, so every section is right-padded in the batch.
        List<TrainingExample> examples = List.of(withUnfusedOpening(new int[] {3, 14, 15, 9, 26, 5, 35, 11}, 6),
                withUnfusedOpening(new int[] {8, 9, 7, 9, 32, 38, 46, 2, 4}, 5),
                withUnfusedOpening(new int[] {26, 43, 38, 32, 7, 9, 30}, 6));
        try (TransformerModel receiver = TinyModels.load(dir.resolve("r"), ModelFamily.QWEN3, 41);
             TransformerModel sharer = TinyModels.load(dir.resolve("s"), ModelFamily.LLAMA, 42)) {
            try (C2cFuser fuser = tinyFuser(receiver, sharer, 0.1, 3);
                 FuserTrainer trainer = new FuserTrainer(receiver, sharer, fuser, 0, 0, 0.01)) {
                fuser.projectors().forEach(p -> p.setGateLogits(0.5f, 0.5f));     // open, so evaluation fuses too
                List<NDArray> parameters = fuser.projectors().stream()
                        .flatMap(p -> p.tensors().entrySet().stream())
                        .filter(t -> !t.getKey().equals("gate_temperature")).map(java.util.Map.Entry::getValue).toList();
                double computedEval = trainer.evaluate(examples);
                double computedLoss = trainer.accumulate(examples, 0.7, 1, new Random(5));
                float[][] computedGradients = gradients(parameters);
                Gradients.zero(parameters);

                trainer.freezePrefixes(examples, 2);     // computed in other batches than the step's
                assertEquals(computedEval, trainer.evaluate(examples), 1e-5 * computedEval);
                assertEquals(computedLoss, trainer.accumulate(examples, 0.7, 1, new Random(5)), 1e-5 * computedLoss);
                float[][] replayedGradients = gradients(parameters);
                for (int i = 0; i < parameters.size(); i++) {
                    double largest = 0;
                    double error = 0;
                    for (int j = 0; j < computedGradients[i].length; j++) {
                        largest = Math.max(largest, Math.abs(computedGradients[i][j]));
                        error = Math.max(error, Math.abs(computedGradients[i][j] - replayedGradients[i][j]));
                    }
                    assertTrue(largest > 0, "parameter " + i + " gets a gradient");
                    assertTrue(error <= 1e-4 * largest, "parameter " + i + ": relative error " + error / largest);
                }
            }
        }
    }

    @Test
    void theFrozenPrefixRunsThroughTheFirstFusedSection() {
        TrainingExample example = withUnfusedOpening(new int[] {3, 14, 15, 9, 26, 5, 35, 11}, 6);
        assertEquals(2, FrozenPrefixes.prefixSections(example));
        assertEquals(1, FrozenPrefixes.prefixSections(EXAMPLES.get(0)));
        int[] ids = {3, 14, 15, 9};
        boolean[] none = new boolean[ids.length];
        assertEquals(0, FrozenPrefixes.prefixSections(new TrainingExample(ids, none, ids, none, none, 2)));
    }

    /** A fresh fuser of width 32 whose gate temperature anneals over 25 steps. */
    private static C2cFuser tinyFuser(TransformerModel receiver, TransformerModel sharer, double dropout, long seed) {
        ModelConfig r = receiver.config();
        ModelConfig s = sharer.config();
        FuserConfig config = new FuserConfig("r", "s", false, "longest", "last_aligned", "sequential",
                new ProjectorConfig(s.numKvHeads(), s.headDim(), r.numKvHeads(), r.headDim(), 32, 32, 3, dropout, 1.0, 0.001, 25));
        return C2cFuser.initialize(config, r, s, Device.cpu(), seed);
    }

    private static TrainingExample withUnfusedOpening(int[] ids, int instructionLength) {
        boolean[] fused = new boolean[ids.length];
        for (int p = 2; p < instructionLength - 1; p++) {
            fused[p] = true;
        }
        boolean[] none = new boolean[ids.length];
        return new TrainingExample(ids, none, ids, none, fused, instructionLength);
    }

    private static float[][] gradients(List<NDArray> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            try (NDArray g = parameters.get(i).getGradient()) {
                out[i] = g.toFloatArray();
            }
        }
        return out;
    }

    /** Logits of a fixed input: they change iff the receiver's weights change. */
    private static float[] receiverWeightsProbe(TransformerModel receiver) {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
             io.c2cstream.engine.model.KvCache cache = receiver.newCache(1, 4)) {
            NDArray logits = receiver.forward(io.c2cstream.engine.model.TokenBatch.single(new int[] {1, 2, 3}, cache), cache,
                    TransformerModel.Logits.ALL, m);
            return logits.toFloatArray();
        }
    }
}
