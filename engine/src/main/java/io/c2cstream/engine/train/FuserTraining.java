package io.c2cstream.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.align.AlignmentStrategy;
import io.c2cstream.engine.align.ChatAligner;
import io.c2cstream.engine.align.TokenAligner;
import io.c2cstream.engine.checkpoint.SafetensorsFile;
import io.c2cstream.engine.checkpoint.SafetensorsWriter;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.fuser.C2cFuser;
import io.c2cstream.engine.fuser.FuserConfig;
import io.c2cstream.engine.fuser.ProjectorConfig;
import io.c2cstream.engine.generate.LanguageModel;
import io.c2cstream.engine.model.ModelConfig;
import io.c2cstream.engine.tokenizer.ChatMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A whole fuser training run from a {@link TrainingRecipe}: encodes the conversations, trains for the
 * recipe's epochs or steps, reports every step, evaluates (once before the first step, which measures the
 * receiver alone, then on schedule), saves resumable checkpoints on schedule, and writes the final fuser to
 * {@code output_dir/final}: the last one, or with {@code load_best_model_at_end} the one of lowest eval loss,
 * kept in {@code output_dir/best} while training. {@code final/trainer_state.json} records the steps, the eval
 * losses of this run and the step the final fuser comes from. A run that sees its examples more than once computes
 * their {@link FrozenPrefixes} first, within {@code training.frozen_prefix_cache_mb}.
 *
 * <p>A checkpoint {@code output_dir/checkpoint-N} holds the fuser directory, the optimizer moments and
 * {@code trainer_state.json}; {@link #run} with {@code resume} continues from the newest one exactly
 * (data order and gate noise are seeded per micro-batch).
 */
public final class FuserTraining {
    /** Receives progress; the CLI draws a progress bar from it. */
    public interface Listener {
        void onStart(int totalSteps, int trainExamples, int skippedExamples);

        void onStep(FuserTrainer.StepReport report);

        void onEval(int step, double loss);

        void onCheckpoint(int step, Path dir);

        /**
         * Before the first step: the frozen prefixes of every example ({@link FrozenPrefixes}) were computed once,
         * taking {@code bytes} of native memory, in {@code seconds}; or, with {@code computed} false, every step
         * computes its own, because the run is too short to see its examples more than once on average (computing
         * them first would not pay) or they would take more than {@code training.frozen_prefix_cache_mb} (or it is 0).
         */
        default void onFrozenPrefixes(boolean computed, long bytes, double seconds) {}
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FINAL = "final";
    static final String BEST = "best";
    static final String STATE_FILE = "trainer_state.json";

    private FuserTraining() {}

    /** Trains and returns the directory of the final fuser. */
    public static Path run(TrainingRecipe recipe, Device device, boolean resume, Listener listener) {
        try (LanguageModel receiver = LanguageModel.load(recipe.receiverModel(), device);
             LanguageModel sharer = LanguageModel.load(recipe.sharerModel(), device)) {
            ExampleEncoder encoder = recipe.tokenAlignment()
                    ? ExampleEncoder.aligned(receiver, new ChatAligner(new TokenAligner(receiver.tokenizer(),
                            sharer.tokenizer(), AlignmentStrategy.parse(recipe.alignmentStrategy())),
                            receiver.requireChatTemplate("aligned training"), sharer.requireChatTemplate("aligned training")))
                    : ExampleEncoder.sharedTokenizer(receiver);
            List<TrainingExample> train = new ArrayList<>();
            int skipped = encode(ConversationFile.read(recipe.trainFile()), encoder, recipe.maxLength(), train);
            List<TrainingExample> eval = new ArrayList<>();
            if (recipe.evalFile() != null) {
                encode(ConversationFile.read(recipe.evalFile()), encoder, recipe.maxLength(), eval);
            }
            if (train.isEmpty()) {
                throw new IllegalArgumentException(recipe.trainFile() + " yields no example within max_length "
                        + recipe.maxLength());
            }
            int totalSteps = recipe.totalSteps(train.size());
            listener.onStart(totalSteps, train.size(), skipped);
            Path latest = resume ? latestCheckpoint(recipe.outputDir()) : null;
            try (C2cFuser fuser = latest != null ? C2cFuser.load(latest.resolve("fuser"), device)
                    : C2cFuser.initialize(fuserConfig(recipe, totalSteps, receiver.model().config(), sharer.model().config()),
                            receiver.model().config(), sharer.model().config(), device, recipe.seed());
                 FuserTrainer trainer = new FuserTrainer(receiver.model(), sharer.model(), fuser, receiver.padId(),
                         sharer.padId(), recipe.weightDecay())) {
                int startStep = latest != null ? restore(latest, trainer, fuser) : 0;
                // Decided on the whole run, so that a resumed run replays the same entries as an uninterrupted one.
                freezePrefixes(recipe, totalSteps, trainer, receiver, sharer, train, eval, listener);
                Evaluations evaluations = new Evaluations(recipe.loadBestModelAtEnd()
                        ? recipe.outputDir().resolve(BEST) : null, startStep);
                loop(recipe, trainer, fuser, train, eval, totalSteps, startStep, evaluations, listener);
                Path out = recipe.outputDir().resolve(FINAL);
                if (evaluations.keepsBest()) {
                    copyFuser(evaluations.bestDir(), out);
                } else {
                    fuser.save(out, TensorDType.F32);
                }
                evaluations.writeState(out.resolve(STATE_FILE), totalSteps);
                return out;
            }
        }
    }

    private static void freezePrefixes(TrainingRecipe recipe, int totalSteps, FuserTrainer trainer,
                                       LanguageModel receiver, LanguageModel sharer, List<TrainingExample> train,
                                       List<TrainingExample> eval, Listener listener) {
        List<TrainingExample> all = new ArrayList<>(train);
        all.addAll(eval);
        long bytes = FrozenPrefixes.bytes(all, receiver.model().config(), sharer.model().config());
        boolean pays = (long) totalSteps * recipe.effectiveBatchSize() > train.size();
        boolean fits = recipe.frozenPrefixCacheMb() > 0 && bytes <= recipe.frozenPrefixCacheMb() * (1L << 20);
        long start = System.nanoTime();
        if (pays && fits) {
            trainer.freezePrefixes(all, recipe.batchSize());
        }
        listener.onFrozenPrefixes(pays && fits, bytes, (System.nanoTime() - start) / 1e9);
    }

    private static int encode(List<List<ChatMessage>> conversations, ExampleEncoder encoder, int maxLength,
                              List<TrainingExample> into) {
        int skipped = 0;
        for (List<ChatMessage> c : conversations) {
            TrainingExample e = encoder.encode(c);
            if (e.length() <= maxLength) {
                into.add(e);
            } else {
                skipped++;
            }
        }
        return skipped;
    }

    private static FuserConfig fuserConfig(TrainingRecipe r, int totalSteps, ModelConfig receiver, ModelConfig sharer) {
        ProjectorConfig projector = new ProjectorConfig(sharer.numKvHeads(), sharer.headDim(), receiver.numKvHeads(),
                receiver.headDim(), r.hiddenDim(), r.intermediateDim(), r.numLayers(), r.dropout(),
                r.initialTemperature(), r.finalTemperature(), Math.max(1, totalSteps));
        return new FuserConfig(r.receiverModel().toString(), r.sharerModel().toString(), r.tokenAlignment(),
                r.alignmentStrategy(), r.mapping(), "sequential", projector);
    }

    private static void loop(TrainingRecipe recipe, FuserTrainer trainer, C2cFuser fuser, List<TrainingExample> train,
                             List<TrainingExample> eval, int totalSteps, int startStep, Evaluations evaluations,
                             Listener listener) {
        ProjectorConfig p = fuser.config().projector();
        int warmup = recipe.warmupSteps(totalSteps);
        int perEpoch = (train.size() + recipe.batchSize() - 1) / recipe.batchSize();
        int step = startStep;
        long microBatch = (long) startStep * recipe.gradientAccumulation();
        double lossSum = 0;
        int tokens = 0;
        boolean evaluating = !eval.isEmpty() && recipe.evalSteps() > 0;
        if (evaluating && startStep == 0) {
            // The untrained fuser's gates are closed (method §1.4): step 0 is the receiver alone, the baseline.
            double loss = evaluate(trainer, eval, recipe.batchSize());
            evaluations.record(0, loss, fuser);
            listener.onEval(0, loss);
        }
        long stepStart = System.nanoTime();
        while (step < totalSteps) {
            int epoch = (int) (microBatch / perEpoch);
            List<TrainingExample> order = new ArrayList<>(train);
            Collections.shuffle(order, new Random(recipe.seed() + epoch));
            int index = (int) (microBatch % perEpoch);
            List<TrainingExample> batch = order.subList(index * recipe.batchSize(),
                    Math.min(order.size(), (index + 1) * recipe.batchSize()));
            double temperature = Schedules.temperature(step, p.initialTemperature(), p.finalTemperature(), p.annealSteps());
            lossSum += trainer.accumulate(batch, temperature, recipe.gradientAccumulation(),
                    new Random(recipe.seed() * 1_000_003L + microBatch));
            tokens += batch.stream().mapToInt(TrainingExample::length).sum();
            microBatch++;
            boolean lastOfEpoch = microBatch % perEpoch == 0;
            if (microBatch % recipe.gradientAccumulation() != 0 && !lastOfEpoch) {
                continue;
            }
            double lr = Schedules.learningRate(step, recipe.learningRate(), warmup, totalSteps);
            double next = Schedules.temperature(step + 1, p.initialTemperature(), p.finalTemperature(), p.annealSteps());
            double norm = trainer.step(lr, recipe.maxGradNorm(), next);
            step++;
            int micro = (int) ((microBatch - 1) % recipe.gradientAccumulation()) + 1;
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            listener.onStep(new FuserTrainer.StepReport(step, totalSteps, lossSum / micro, lr, next, norm, tokens, seconds));
            lossSum = 0;
            tokens = 0;
            if (evaluating && (step % recipe.evalSteps() == 0 || step == totalSteps)) {
                double loss = evaluate(trainer, eval, recipe.batchSize());
                evaluations.record(step, loss, fuser);
                listener.onEval(step, loss);
            }
            if (recipe.saveSteps() > 0 && step % recipe.saveSteps() == 0 && step < totalSteps) {
                Path dir = recipe.outputDir().resolve("checkpoint-" + step);
                save(dir, trainer, fuser, step);
                listener.onCheckpoint(step, dir);
            }
            stepStart = System.nanoTime();
        }
    }

    /** Mean eval loss over batches, each batch's mean weighted by its supervised tokens. */
    static double evaluate(FuserTrainer trainer, List<TrainingExample> eval, int batchSize) {
        double weighted = 0;
        long tokens = 0;
        for (int i = 0; i < eval.size(); i += batchSize) {
            List<TrainingExample> batch = eval.subList(i, Math.min(eval.size(), i + batchSize));
            int supervised = batch.stream().mapToInt(TrainingExample::supervisedTokens).sum();
            weighted += trainer.evaluate(batch) * supervised;
            tokens += supervised;
        }
        return weighted / Math.max(1, tokens);
    }

    static void save(Path dir, FuserTrainer trainer, C2cFuser fuser, int step) {
        fuser.save(dir.resolve("fuser"), TensorDType.F32);
        SafetensorsWriter moments = new SafetensorsWriter(TensorDType.F32);
        List<NDArray> m = trainer.optimizer().firstMoments();
        List<NDArray> v = trainer.optimizer().secondMoments();
        for (int i = 0; i < m.size(); i++) {
            moments.add("m." + i, m.get(i).getShape().getShape(), m.get(i).toFloatArray());
            moments.add("v." + i, v.get(i).getShape().getShape(), v.get(i).toFloatArray());
        }
        moments.write(dir.resolve("optimizer.safetensors"));
        try {
            JSON.writeValue(dir.resolve("trainer_state.json").toFile(),
                    JSON.createObjectNode().put("global_step", step).put("optimizer_steps", trainer.optimizer().steps()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("trainer_state.json"), e);
        }
    }

    private static int restore(Path dir, FuserTrainer trainer, C2cFuser fuser) {
        try (SafetensorsFile moments = SafetensorsFile.open(dir.resolve("optimizer.safetensors"))) {
            int count = trainer.optimizer().firstMoments().size();
            List<float[]> m = new ArrayList<>();
            List<float[]> v = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                m.add(moments.readFloats("m." + i));
                v.add(moments.readFloats("v." + i));
            }
            JsonNode state = JSON.readTree(dir.resolve("trainer_state.json").toFile());
            trainer.optimizer().restore(m, v, state.path("optimizer_steps").asInt());
            return state.path("global_step").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir, e);
        }
    }

    /** The checkpoint with the highest step in {@code outputDir}, or null. */
    static Path latestCheckpoint(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return null;
        }
        try (var entries = Files.list(outputDir)) {
            return entries.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(p -> Files.exists(p.resolve("trainer_state.json")))
                    .max((a, b) -> Integer.compare(stepOf(a), stepOf(b))).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + outputDir, e);
        }
    }

    private static int stepOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring("checkpoint-".length()));
    }

    private static void copyFuser(Path from, Path to) {
        try (var files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the best fuser " + from + " to " + to, e);
        }
    }

    /**
     * The eval losses of a run and, when the best fuser is kept, the lowest after a training step: step 0 is the
     * receiver alone (closed gates), never a fuser worth keeping. The best survives a resume through its
     * directory's state file.
     */
    private static final class Evaluations {
        private final Path bestDir;
        private final ArrayNode history = JSON.createArrayNode();
        private int bestStep = -1;
        private double bestLoss = Double.POSITIVE_INFINITY;

        /** @param bestDir where the best fuser is kept; null when it is not */
        Evaluations(Path bestDir, int startStep) {
            this.bestDir = bestDir;
            Path state = bestDir == null ? null : bestDir.resolve(STATE_FILE);
            if (startStep > 0 && state != null && Files.exists(state)) {
                try {
                    JsonNode best = JSON.readTree(state.toFile());
                    bestStep = best.path("global_step").asInt();
                    bestLoss = best.path("eval_loss").asDouble();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + state, e);
                }
            }
        }

        void record(int step, double loss, C2cFuser fuser) {
            history.addObject().put("step", step).put("eval_loss", loss);
            if (keepsBest() && step > 0 && loss < bestLoss) {
                bestStep = step;
                bestLoss = loss;
                fuser.save(bestDir, TensorDType.F32);
                write(bestDir.resolve(STATE_FILE), JSON.createObjectNode().put("global_step", step).put("eval_loss", loss));
            }
        }

        boolean keepsBest() {
            return bestDir != null;
        }

        Path bestDir() {
            if (bestStep < 0) {
                throw new IllegalStateException("no evaluation after a training step: nothing to choose the best from");
            }
            return bestDir;
        }

        void writeState(Path file, int totalSteps) {
            ObjectNode state = JSON.createObjectNode().put("global_step", totalSteps)
                    .put("fuser_step", keepsBest() ? bestStep : totalSteps);
            if (keepsBest()) {
                state.put("best_eval_loss", bestLoss);
            }
            state.set("eval_history", history);
            write(file, state);
        }

        private static void write(Path file, JsonNode node) {
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
