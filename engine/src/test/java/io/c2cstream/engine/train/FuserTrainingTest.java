package io.c2cstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.generate.TinyChatModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole training run from a recipe file: steps, evaluation, checkpoints, and an exact resume. */
class FuserTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Records what the listener hears. */
    private static final class Recorder implements FuserTraining.Listener {
        final List<FuserTrainer.StepReport> steps = new ArrayList<>();
        final List<Integer> evals = new ArrayList<>();
        final List<Double> evalLosses = new ArrayList<>();
        final List<Integer> checkpoints = new ArrayList<>();
        final List<Boolean> prefixesComputed = new ArrayList<>();
        int total;

        @Override
        public void onStart(int totalSteps, int trainExamples, int skippedExamples) {
            total = totalSteps;
        }

        @Override
        public void onStep(FuserTrainer.StepReport report) {
            steps.add(report);
        }

        @Override
        public void onEval(int step, double loss) {
            evals.add(step);
            evalLosses.add(loss);
        }

        @Override
        public void onCheckpoint(int step, Path checkpoint) {
            checkpoints.add(step);
        }

        @Override
        public void onFrozenPrefixes(boolean computed, long bytes, double seconds) {
            prefixesComputed.add(computed && bytes > 0);
        }
    }

    private Path recipe(int maxSteps, String output) throws IOException {
        return recipe(maxSteps, output, false, false);
    }

    private Path recipe(int maxSteps, String output, boolean align, boolean keepBest) throws IOException {
        List<String> lines = new ArrayList<>();
        String[] questions = {"abc", "ili", "a bc", "li li", "cab", "bil", "ab ab", "lic"};
        for (String q : questions) {
            lines.add(JSON.writeValueAsString(JSON.createObjectNode().set("messages", JSON.createArrayNode()
                    .add(JSON.createObjectNode().put("role", "user").put("content", q))
                    .add(JSON.createObjectNode().put("role", "assistant").put("content", q.replace('a', 'i'))))));
        }
        Files.write(dir.resolve("train.jsonl"), lines);
        Files.write(dir.resolve("eval.jsonl"), lines.subList(0, 3));
        ObjectNode recipe = JSON.createObjectNode();
        ObjectNode model = recipe.putObject("model").put("base_model", "receiver").put("teacher_model", "sharer");
        model.put("is_do_alignment", align).put("alignment_strategy", "longest");
        model.putObject("projector").putObject("params").put("hidden_dim", 16).put("intermediate_dim", 16);
        recipe.putObject("data").put("train_file", "train.jsonl").put("eval_file", "eval.jsonl");
        recipe.putObject("training").put("learning_rate", 1e-3).put("per_device_train_batch_size", 2)
                .put("gradient_accumulation_steps", 2).put("num_train_epochs", 3).put("max_steps", maxSteps)
                .put("warmup_ratio", 0.5).put("eval_steps", 2).put("save_steps", 2).put("load_best_model_at_end", keepBest).put("seed", 9);
        recipe.putObject("output").put("output_dir", output);
        Path file = dir.resolve("recipe-" + output + ".json");
        JSON.writeValue(file.toFile(), recipe);
        return file;
    }

    @Test
    void aRunReportsEveryStepEvaluatesAndResumesExactly() throws IOException {
        TinyChatModels.write(dir, "receiver", 1);
        TinyChatModels.write(dir, "sharer", 2);
        TrainingRecipe full = TrainingRecipe.read(recipe(4, "full"));
        assertEquals(4, full.totalSteps(8), "8 examples, 2 per batch, 2 per step, 3 epochs = 6 steps, capped at 4");

        Recorder recorder = new Recorder();
        Path uninterrupted = FuserTraining.run(full, Device.cpu(), false, recorder);
        assertEquals(4, recorder.total);
        assertEquals(List.of(1, 2, 3, 4), recorder.steps.stream().map(FuserTrainer.StepReport::step).toList());
        assertEquals(0.0, recorder.steps.get(0).learningRate(), "with warm-up the first update has learning rate 0");
        assertEquals(1e-3, recorder.steps.get(2).learningRate(), 1e-12, "the peak is reached after the 2 warm-up steps");
        assertEquals(List.of(0, 2, 4), recorder.evals, "the receiver alone before the first step, then every 2 steps");
        assertEquals(List.of(2), recorder.checkpoints);
        assertEquals(List.of(true), recorder.prefixesComputed, "the prefixes are computed once, before the first step");

        // Stop after two steps, then resume from the checkpoint to four: the same fuser as one run.
        FuserTraining.run(TrainingRecipe.read(recipe(2, "split")), Device.cpu(), false, new Recorder());
        Path checkpoint = dir.resolve("split/checkpoint-2");
        assertTrue(Files.notExists(checkpoint), "no checkpoint at the last step: the final fuser is written instead");
        copyCheckpoint(dir.resolve("full/checkpoint-2"), dir.resolve("resumed/checkpoint-2"));
        Recorder resumed = new Recorder();
        Path continued = FuserTraining.run(TrainingRecipe.read(recipe(4, "resumed")), Device.cpu(), true, resumed);
        assertEquals(List.of(3, 4), resumed.steps.stream().map(FuserTrainer.StepReport::step).toList());
        assertEquals(List.of(4), resumed.evals, "a resumed run has had its baseline");
        assertSameWeights(uninterrupted, continued);
    }

    @Test
    void withoutFrozenPrefixesEveryStepComputesItsOwnAndTrainsTheSameFuserToRounding() throws IOException {
        TinyChatModels.write(dir, "receiver", 1);
        TinyChatModels.write(dir, "sharer", 2);
        Recorder frozen = new Recorder();
        FuserTraining.run(TrainingRecipe.read(recipe(4, "frozen")), Device.cpu(), false, frozen);
        Path file = recipe(4, "computed");
        ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) json.get("training")).put("frozen_prefix_cache_mb", 0);
        JSON.writeValue(file.toFile(), json);
        Recorder computed = new Recorder();
        FuserTraining.run(TrainingRecipe.read(file), Device.cpu(), false, computed);
        assertEquals(List.of(false), computed.prefixesComputed);
        Recorder shorterThanAnEpoch = new Recorder();
        FuserTraining.run(TrainingRecipe.read(recipe(1, "short")), Device.cpu(), false, shorterThanAnEpoch);
        assertEquals(List.of(false), shorterThanAnEpoch.prefixesComputed, "4 of 8 examples seen: computing all would not pay");
        for (int i = 0; i < frozen.evalLosses.size(); i++) {
            double expected = computed.evalLosses.get(i);
            assertEquals(expected, frozen.evalLosses.get(i), 1e-4 * expected, "eval loss at step " + frozen.evals.get(i));
        }
    }

    private static void assertSameWeights(Path expected, Path actual) {
        try (C2cFuser a = C2cFuser.load(expected, Device.cpu()); C2cFuser b = C2cFuser.load(actual, Device.cpu())) {
            for (int i = 0; i < a.projectors().size(); i++) {
                var bTensors = b.projectors().get(i).tensors();
                a.projectors().get(i).tensors().forEach((name, array) ->
                        assertArrayEquals(array.toFloatArray(), bTensors.get(name).toFloatArray(), name));
            }
        }
    }

    @Test
    void withLoadBestModelAtEndTheFinalFuserIsTheOneOfLowestEvalLossAfterAStep() throws IOException {
        TinyChatModels.write(dir, "receiver", 1);
        TinyChatModels.write(dir, "sharer", 2);
        Recorder recorder = new Recorder();
        Path best = FuserTraining.run(TrainingRecipe.read(recipe(6, "best", false, true)), Device.cpu(), false, recorder);
        assertEquals(List.of(0, 2, 4, 6), recorder.evals);
        int bestAt = 1;
        for (int i = 2; i < recorder.evals.size(); i++) {
            bestAt = recorder.evalLosses.get(i) < recorder.evalLosses.get(bestAt) ? i : bestAt;
        }
        int bestStep = recorder.evals.get(bestAt);
        JsonNode state = JSON.readTree(best.resolve("trainer_state.json").toFile());
        assertEquals(6, state.path("global_step").asInt());
        assertEquals(bestStep, state.path("fuser_step").asInt(), "step 0, the receiver alone, is never chosen");
        assertEquals(recorder.evalLosses.get(bestAt), state.path("best_eval_loss").asDouble());
        assertEquals(recorder.evalLosses, state.path("eval_history").findValuesAsText("eval_loss").stream()
                .map(Double::valueOf).toList());

        // The same run keeping its last fuser, with resumable checkpoints of steps 2 and 4 to compare with.
        Path last = FuserTraining.run(TrainingRecipe.read(recipe(6, "last")), Device.cpu(), false, new Recorder());
        assertEquals(6, JSON.readTree(last.resolve("trainer_state.json").toFile()).path("fuser_step").asInt());
        assertSameWeights(bestStep == 6 ? last : dir.resolve("last/checkpoint-" + bestStep + "/fuser"), best);
    }

    @Test
    void loadBestModelAtEndNeedsAnEvalFile() throws IOException {
        ObjectNode recipe = (ObjectNode) JSON.readTree(recipe(2, "no-eval", false, true).toFile());
        ((ObjectNode) recipe.path("data")).remove("eval_file");
        Path file = dir.resolve("no-eval.json");
        JSON.writeValue(file.toFile(), recipe);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.read(file));
        assertTrue(e.getMessage().contains("'training.load_best_model_at_end' needs 'data.eval_file'"), e.getMessage());
    }

    @Test
    void alignedPairsTrainOnMessageTokensAndRecordTheStrategy() throws IOException {
        TinyChatModels.write(dir, "receiver", 1);
        TinyChatModels.write(dir, "sharer", 2);
        Recorder recorder = new Recorder();
        Path out = FuserTraining.run(TrainingRecipe.read(recipe(2, "aligned", true, false)), Device.cpu(), false, recorder);
        assertEquals(2, recorder.steps.size());
        assertTrue(recorder.steps.stream().allMatch(r -> Double.isFinite(r.loss()) && r.loss() > 0));
        try (C2cFuser fuser = C2cFuser.load(out, Device.cpu())) {
            assertTrue(fuser.config().tokenAlignment());
            assertEquals("longest", fuser.config().alignmentStrategy());
        }
    }

    private static void copyCheckpoint(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
