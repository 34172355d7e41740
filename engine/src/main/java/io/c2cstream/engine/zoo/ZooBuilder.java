package io.c2cstream.engine.zoo;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.checkpoint.TensorDType;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import io.c2cstream.engine.train.FuserTrainer;
import io.c2cstream.engine.train.FuserTraining;
import io.c2cstream.engine.train.Pretraining;
import io.c2cstream.engine.train.TokenPacker;
import io.c2cstream.engine.train.TrainingRecipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Builds the zoo from nothing but seeds (issue "The embedded default"): the world and its tokenizers, a
 * Llama-style sharer that has read every fact, a Qwen3-style receiver that has drilled the option lookup and
 * learned the multiple-choice format on public entities only and to answer from a fact in its prompt, a fuser
 * trained on private-train entities and chosen by its loss on validation entities, and the held-out benchmark in
 * the four real layouts. Stages report progress to a {@link Listener}.
 *
 * <pre>
 * zoo/receiver/   Hugging Face Qwen3-style checkpoint (bf16) with its tokenizer and chat template
 * zoo/sharer/     Hugging Face Llama-style checkpoint (bf16) with its tokenizer and chat template
 * zoo/fuser/      the trained fuser (config.json, projector_config.json, projector_{i}.safetensors) and its
 *                 trainer_state.json (validation losses, the step it comes from)
 * zoo/benchmarks/ held-out questions as ARC jsonl, OpenBookQA TSV, MMLU-Redux rows and C-Eval CSV
 * zoo/recipe.json the fuser training recipe that was used
 * </pre>
 */
public final class ZooBuilder {
    /** Progress of the build: a stage starts, advances, ends. */
    public interface Listener {
        void onStage(String stage, int totalSteps);

        void onProgress(String stage, int step, String status);

        /** What a stage measured of its model at {@code step}, such as the receiver's probe. */
        default void onEvaluation(String stage, int step, String result) {}
    }

    /**
     * How long each training stage runs.
     *
     * @param sharerSteps   pretraining steps of the sharer
     * @param drillSteps    most steps of the receiver's first phase, on {@link LookupDrill}s only; it ends earlier
     *                      once the drill probe finds the lookup learnt
     * @param receiverSteps steps of the receiver's second phase, on its full corpus
     * @param fuserSteps    most fuser training steps (0: one epoch); the fuser kept is the one of lowest loss on
     *                      the validation entities' questions, measured every {@value #FUSER_VALIDATION_EVERY} steps
     * @param batchSize     sequences per pretraining step and conversations per fuser micro-batch
     * @param sharerLength  sharer pretraining tokens per sequence (its longest document, a background chat, fits)
     * @param receiverLength receiver pretraining tokens per sequence (its longest document, a question read after a
     *                      description, fits)
     */
    public record Schedule(int sharerSteps, int drillSteps, int receiverSteps, int fuserSteps, int batchSize,
                           int sharerLength, int receiverLength) {
        /** The full build, as committed in zoo/. */
        public static final Schedule FULL = new Schedule(1100, 2400, 1200, 1600, 32, 128, 256);

        /** A few steps per stage: proves every stage runs, in about a minute. */
        public static Schedule smoke() {
            return new Schedule(6, 6, 6, 3, 4, 128, 256);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Questions of each kind the receiver's probe asks. */
    static final int PROBE_QUESTIONS = 60;

    /** Drills of the receiver's first phase; a 64-token sequence holds one. */
    private static final int DRILLS = 30_000;
    private static final int DRILL_LENGTH = 64;
    /** Drills mixed into the receiver's full corpus, so that the second phase keeps the lookup. */
    private static final int RETAINED_DRILLS = 2_000;
    private static final int DRILL_PROBES = 100;
    private static final int DRILL_PROBE_EVERY = 100;
    /** The drill probe's share of right letters that ends the first phase. */
    private static final double DRILL_TARGET = 0.9;
    /** Fuser steps between two validation losses. */
    static final int FUSER_VALIDATION_EVERY = 100;

    /** What a probe measured of a model during a pretraining phase, and whether that phase may end here. */
    private record Measurement(String report, boolean phaseDone) {}

    /** Measures a model during a pretraining phase; the report goes to {@link Listener#onEvaluation}. */
    private interface ModelProbe {
        Measurement run(TransformerModel model, TextTokenizer tokenizer);
    }

    /**
     * One pretraining run over a corpus, with its own optimizer state and learning-rate schedule; a model may go
     * through several.
     *
     * @param evaluateEvery steps between two probes, which also follows the last step
     */
    private record Phase(String stage, List<PretrainingDocument> corpus, int steps, int length, double learningRate,
                         int evaluateEvery, ModelProbe probe) {}

    private ZooBuilder() {}

    /**
     * Builds into {@code zoo}, using {@code work} for corpora and intermediate files. With {@code keepExisting}
     * a model whose checkpoint is already in the zoo is not trained again (to finish a build that stopped).
     */
    public static void build(Path zoo, Path work, ZooWorld world, Schedule schedule, boolean keepExisting,
                             Listener listener) {
        listener.onStage("world", 1);
        ZooData data = ZooData.generate(world);
        data.write(work);
        listener.onProgress("world", 1, data.heldOutItems().size() + " held-out questions");

        Path sharer = zoo.resolve("sharer");
        if (!keepExisting || !Files.exists(sharer.resolve("model.safetensors"))) {
            Path tokenizerDir = work.resolve(ZooData.SHARER_TOKENIZER_DIR);
            SharerProbe probe = SharerProbe.of(world);
            pretrain(sharerConfig(tokenizerDir), tokenizerDir, world.seed() + 1, List.of(new Phase("sharer",
                    data.sharerCorpus(), schedule.sharerSteps(), schedule.sharerLength(), 2e-3,
                    Math.max(1, schedule.sharerSteps() / 5),
                    (model, tokenizer) -> new Measurement(probe.run(model, tokenizer).toString(), false))),
                    schedule, sharer, listener);
        }
        Path receiver = zoo.resolve("receiver");
        if (!keepExisting || !Files.exists(receiver.resolve("model.safetensors"))) {
            Path tokenizerDir = work.resolve(ZooData.RECEIVER_TOKENIZER_DIR);
            pretrain(receiverConfig(tokenizerDir), tokenizerDir, world.seed() + 2,
                    receiverPhases(world, data, schedule), schedule, receiver, listener);
        }
        trainFuser(zoo, work, receiver, sharer, schedule, world.seed() + 3, listener);
        copyTree(work.resolve("benchmarks"), zoo.resolve("benchmarks"));
    }

    /**
     * The receiver first drills the option lookup until its probe finds it learnt, since inside the full corpus,
     * where the lookup is a small share of the loss, a Qwen3-style model of this size does not learn it in any
     * affordable number of steps (zoo/README.md); then it reads the full corpus with some drills mixed in.
     */
    private static List<Phase> receiverPhases(ZooWorld world, ZooData data, Schedule schedule) {
        LookupDrillProbe drillProbe = LookupDrillProbe.of(DRILL_PROBES, Seeds.random(world.seed(), "drill-probe"));
        Random drills = Seeds.random(world.seed(), "lookup-drills");
        Phase drillPhase = new Phase("drills", LookupDrill.documents(DRILLS, drills), schedule.drillSteps(),
                DRILL_LENGTH, 2e-3, Math.min(DRILL_PROBE_EVERY, schedule.drillSteps()), (model, tokenizer) -> {
                    LookupDrillProbe.Result result = drillProbe.run(model, tokenizer);
                    return new Measurement(result.toString(), result.letterAccuracy() >= DRILL_TARGET);
                });
        List<PretrainingDocument> corpus = new ArrayList<>(data.receiverCorpus());
        corpus.addAll(LookupDrill.documents(RETAINED_DRILLS, drills));
        ReceiverProbe probe = ReceiverProbe.of(world, PROBE_QUESTIONS);
        Phase corpusPhase = new Phase("receiver", corpus, schedule.receiverSteps(), schedule.receiverLength(), 1.5e-3,
                Math.max(1, schedule.receiverSteps() / 10), (model, tokenizer) -> new Measurement(
                        probe.run(model, tokenizer) + ", " + drillProbe.run(model, tokenizer), false));
        return List.of(drillPhase, corpusPhase);
    }

    /** A Llama-style sharer: 4 layers, width 128, 4 heads of 32, full multi-head attention (zoo-notes). */
    static ObjectNode sharerConfig(Path tokenizerDir) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 128).put("intermediate_size", 384).put("num_hidden_layers", 4)
                .put("num_attention_heads", 4).put("num_key_value_heads", 4).put("head_dim", 32)
                .put("rope_theta", 10000.0).put("rms_norm_eps", 1e-5).put("max_position_embeddings", 1024)
                .put("tie_word_embeddings", false).put("hidden_act", "silu").put("torch_dtype", "bfloat16");
        return withVocabulary(c, tokenizerDir);
    }

    /**
     * A Qwen3-style receiver: 5 layers, width 128, 4 query heads sharing 2 KV heads of 32, q/k norm (zoo-notes);
     * untied word embeddings, which it needs to learn the option lookup at all (zoo/README.md, "A faster loop").
     */
    static ObjectNode receiverConfig(Path tokenizerDir) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "qwen3").putArray("architectures").add("Qwen3ForCausalLM");
        c.put("hidden_size", 128).put("intermediate_size", 384).put("num_hidden_layers", 5)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("head_dim", 32)
                .put("rope_theta", 1_000_000.0).put("rms_norm_eps", 1e-6).put("max_position_embeddings", 1024)
                .put("tie_word_embeddings", false).put("hidden_act", "silu").put("torch_dtype", "bfloat16");
        return withVocabulary(c, tokenizerDir);
    }

    private static ObjectNode withVocabulary(ObjectNode config, Path tokenizerDir) {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            config.put("vocab_size", tokenizer.vocabSize());
            tokenizer.specialTokens().bos().ifPresent(t -> config.put("bos_token_id", t.id()));
            tokenizer.specialTokens().eos().ifPresent(t -> config.put("eos_token_id", t.id()));
        }
        return config;
    }

    /** Pretrains one model from scratch through {@code phases} in order, then saves it with its tokenizer. */
    private static void pretrain(ObjectNode config, Path tokenizerDir, long seed, List<Phase> phases, Schedule schedule,
                                 Path out, Listener listener) {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir);
             ModelParameters parameters = ModelParameters.initialize(config, Device.cpu(), 0.02, seed)) {
            int endToken = tokenizer.specialTokens().eos().orElseThrow(() -> new IllegalStateException(
                    "zoo tokenizer " + tokenizerDir + " has no end token")).id();
            for (Phase phase : phases) {
                List<int[]> documents = new ArrayList<>();
                for (PretrainingDocument d : phase.corpus()) {
                    documents.add(tokenizer.encode(d.text()));
                }
                int[][] sequences = TokenPacker.pack(documents, endToken, phase.length(), seed);
                listener.onStage(phase.stage(), phase.steps());
                new Pretraining(phase.steps(), schedule.batchSize(), phase.learningRate(),
                        Math.max(1, phase.steps() / 20), 0.95, 0.1, seed, phase.evaluateEvery())
                        .run(parameters, sequences, new Pretraining.Listener() {
                            @Override
                            public void onStep(int step, int total, double loss, double lr, double norm, int tokens,
                                               double seconds) {
                                listener.onProgress(phase.stage(), step, String.format(Locale.ROOT,
                                        "loss %.3f lr %.1e |g| %.2f %.0f tok/s", loss, lr, norm, tokens / seconds));
                            }

                            @Override
                            public boolean onEvaluate(int step, TransformerModel model) {
                                Measurement measurement = phase.probe().run(model, tokenizer);
                                listener.onEvaluation(phase.stage(), step, measurement.report());
                                return !measurement.phaseDone();
                            }
                        });
            }
            parameters.save(out, TensorDType.BF16);
        }
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            copy(tokenizerDir.resolve(file), out.resolve(file));
        }
    }

    private static void trainFuser(Path zoo, Path work, Path receiver, Path sharer, Schedule schedule, long seed,
                                   Listener listener) {
        ObjectNode recipe = JSON.createObjectNode();
        // Paths relative to the recipe's own directory, so that the copy kept in the zoo stays meaningful.
        ObjectNode model = recipe.putObject("model").put("base_model", relative(work, receiver))
                .put("teacher_model", relative(work, sharer)).put("mapping", "last_aligned")
                .put("is_do_alignment", true).put("alignment_strategy", "longest");
        model.putObject("projector").put("type", "C2CProjector").putObject("params").put("hidden_dim", 128)
                .put("intermediate_dim", 128).put("num_layers", 3).put("dropout", 0.1)
                .put("initial_temperature", 1.0).put("final_temperature", 0.001);
        recipe.putObject("data").put("train_file", ZooData.FUSER_TRAINING_FILE)
                .put("eval_file", ZooData.FUSER_VALIDATION_FILE);
        // The number of steps is chosen on validation entities, never on the held-out ones (issue, zoo/README.md).
        recipe.putObject("training").put("learning_rate", 1e-3).put("weight_decay", 0.01).put("num_train_epochs", 100)
                .put("max_steps", schedule.fuserSteps()).put("per_device_train_batch_size", schedule.batchSize())
                .put("gradient_accumulation_steps", 1).put("warmup_ratio", 0.1).put("max_grad_norm", 1.0)
                .put("eval_steps", FUSER_VALIDATION_EVERY).put("load_best_model_at_end", true)
                .put("save_steps", 0).put("seed", seed);
        recipe.putObject("output").put("output_dir", "fuser-run");
        Path recipeFile = work.resolve("recipe.json");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(recipeFile.toFile(), recipe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path trained = FuserTraining.run(TrainingRecipe.read(recipeFile), Device.cpu(), false, new FuserTraining.Listener() {
            @Override
            public void onStart(int totalSteps, int trainExamples, int skippedExamples) {
                listener.onStage("fuser", totalSteps);
            }

            @Override
            public void onStep(FuserTrainer.StepReport r) {
                listener.onProgress("fuser", r.step(), String.format(Locale.ROOT, "loss %.3f T %.3f", r.loss(),
                        r.temperature()));
            }

            @Override
            public void onEval(int step, double loss) {
                listener.onEvaluation("fuser", step, String.format(Locale.ROOT, "validation loss %.4f", loss));
            }

            @Override
            public void onCheckpoint(int step, Path dir) {
            }

            @Override
            public void onFrozenPrefixes(boolean computed, long bytes, double seconds) {
                listener.onEvaluation("fuser", 0, String.format(Locale.ROOT, "frozen prefixes %s: %.0f MiB, %.1f s",
                        computed ? "computed once" : "computed in every step", bytes / 1048576.0, seconds));
            }
        });
        copyTree(trained, zoo.resolve("fuser"));
        copy(recipeFile, zoo.resolve("recipe.json"));
    }

    private static String relative(Path base, Path target) {
        return base.toAbsolutePath().normalize().relativize(target.toAbsolutePath().normalize()).toString();
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
