package io.c2cstream.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A fuser training recipe ({@code c2c train-fuser --config recipe.json}). Field names follow the reference
 * recipe and Hugging Face's TrainingArguments where those have them; defaults are the reference's
 * (method §5.5) unless noted. Paths are resolved against the recipe file's directory.
 *
 * <pre>{@code
 * {"model": {"base_model": "zoo/receiver", "teacher_model": "zoo/sharer", "mapping": "last_aligned",
 *            "projector": {"type": "C2CProjector", "params": {"hidden_dim": 128, "intermediate_dim": 128,
 *                          "num_layers": 3, "dropout": 0.1, "initial_temperature": 1.0,
 *                          "final_temperature": 0.001}}},
 *  "data": {"train_file": "train.jsonl", "eval_file": "eval.jsonl"},
 *  "training": {"learning_rate": 1e-3, "num_train_epochs": 1, "per_device_train_batch_size": 8, ...},
 *  "output": {"output_dir": "out/fuser"}}
 * }</pre>
 *
 * @param receiverModel   model directory of the receiver ({@code model.base_model})
 * @param sharerModel     model directory of the sharer ({@code model.teacher_model})
 * @param mapping         layer map, {@code last_aligned} or {@code k_nearest} ({@code model.mapping})
 * @param tokenAlignment  the tokenizers differ and prompts are aligned (method §3) ({@code model.is_do_alignment})
 * @param alignmentStrategy {@code first} or {@code longest} ({@code model.alignment_strategy}, default longest)
 * @param hiddenDim       projector width ({@code model.projector.params.hidden_dim}, default 1024)
 * @param intermediateDim FFN width ({@code ...intermediate_dim}, default 1024)
 * @param numLayers       projector depth L ({@code ...num_layers}, default 3)
 * @param dropout         ({@code ...dropout}, default 0.1)
 * @param initialTemperature ({@code ...initial_temperature}, default 1.0)
 * @param finalTemperature   ({@code ...final_temperature}, default 0.001)
 * @param trainFile       jsonl of {@code {"messages": [{"role", "content"}, ...]}}; the last assistant turn is learned
 * @param evalFile        optional jsonl in the same format; null for none
 * @param learningRate    peak learning rate ({@code training.learning_rate}, default 1e-4)
 * @param weightDecay     AdamW decoupled decay ({@code training.weight_decay}, default 0.01)
 * @param epochs          passes over the training file ({@code training.num_train_epochs}, default 1)
 * @param maxSteps        stop after this many optimizer steps; 0 = as many as the epochs give ({@code training.max_steps})
 * @param batchSize       sequences per micro-batch ({@code training.per_device_train_batch_size}, default 4)
 * @param gradientAccumulation micro-batches per optimizer step ({@code training.gradient_accumulation_steps}, default 8)
 * @param warmupRatio     share of steps spent warming up ({@code training.warmup_ratio}, default 0.1)
 * @param maxGradNorm     global gradient-norm clip ({@code training.max_grad_norm}, default 1.0)
 * @param maxLength       examples with more tokens are skipped ({@code training.max_length}, default 2048)
 * @param evalSteps       eval loss every this many steps; 0 disables ({@code training.eval_steps}, default 100)
 * @param saveSteps       resumable checkpoint every this many steps; 0 disables ({@code training.save_steps}, default 500)
 * @param loadBestModelAtEnd the final fuser is the one of lowest eval loss among the evaluations after a step, not
 *                        the last ({@code training.load_best_model_at_end}, default false; needs an eval file
 *                        and eval steps)
 * @param frozenPrefixCacheMb native memory, in MiB, the receiver's and the sharer's entries of every example's
 *                        frozen prefix (its sections through the first fused one) may take to be computed once
 *                        instead of in every step, which a run longer than an epoch does; when they need more,
 *                        every step computes them
 *                        ({@code training.frozen_prefix_cache_mb}, this project's, default 4096; 0 disables)
 * @param seed            seeds initialisation, data order and gate noise ({@code training.seed}, default 42)
 * @param outputDir       where checkpoints and the final fuser go ({@code output.output_dir})
 */
public record TrainingRecipe(Path receiverModel, Path sharerModel, String mapping, boolean tokenAlignment,
                             String alignmentStrategy, int hiddenDim, int intermediateDim,
                             int numLayers, double dropout, double initialTemperature, double finalTemperature,
                             Path trainFile, Path evalFile, double learningRate, double weightDecay, int epochs,
                             int maxSteps, int batchSize, int gradientAccumulation, double warmupRatio,
                             double maxGradNorm, int maxLength, int evalSteps, int saveSteps,
                             boolean loadBestModelAtEnd, int frozenPrefixCacheMb, long seed, Path outputDir) {

    public TrainingRecipe {
        positive("training.learning_rate", learningRate);
        positive("training.per_device_train_batch_size", batchSize);
        positive("training.gradient_accumulation_steps", gradientAccumulation);
        positive("training.num_train_epochs", epochs);
        positive("training.max_length", maxLength);
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("recipe key 'training.warmup_ratio' must be in [0, 1), got " + warmupRatio);
        }
        if (weightDecay < 0 || maxGradNorm <= 0 || maxSteps < 0 || evalSteps < 0 || saveSteps < 0
                || frozenPrefixCacheMb < 0) {
            throw new IllegalArgumentException("recipe keys 'training.weight_decay', 'max_steps', 'eval_steps',"
                    + " 'save_steps' and 'frozen_prefix_cache_mb' must be >= 0 and 'max_grad_norm' > 0");
        }
        if (loadBestModelAtEnd && (evalFile == null || evalSteps == 0)) {
            throw new IllegalArgumentException("recipe key 'training.load_best_model_at_end' needs 'data.eval_file'"
                    + " and 'training.eval_steps' > 0 to know which fuser is best");
        }
    }

    public static TrainingRecipe read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recipe " + file, e);
        }
        Path base = file.toAbsolutePath().getParent();
        JsonNode model = root.path("model");
        JsonNode params = model.path("projector").path("params");
        JsonNode data = root.path("data");
        JsonNode t = root.path("training");
        return new TrainingRecipe(
                path(base, model, "base_model", "model.base_model"),
                path(base, model, "teacher_model", "model.teacher_model"),
                model.path("mapping").asText("last_aligned"), model.path("is_do_alignment").asBoolean(false),
                model.path("alignment_strategy").asText("longest"),
                params.path("hidden_dim").asInt(1024), params.path("intermediate_dim").asInt(1024),
                params.path("num_layers").asInt(3), params.path("dropout").asDouble(0.1),
                params.path("initial_temperature").asDouble(1.0), params.path("final_temperature").asDouble(0.001),
                path(base, data, "train_file", "data.train_file"),
                data.hasNonNull("eval_file") ? base.resolve(data.get("eval_file").asText()) : null,
                t.path("learning_rate").asDouble(1e-4), t.path("weight_decay").asDouble(0.01),
                t.path("num_train_epochs").asInt(1), t.path("max_steps").asInt(0),
                t.path("per_device_train_batch_size").asInt(4), t.path("gradient_accumulation_steps").asInt(8),
                t.path("warmup_ratio").asDouble(0.1), t.path("max_grad_norm").asDouble(1.0),
                t.path("max_length").asInt(2048), t.path("eval_steps").asInt(100), t.path("save_steps").asInt(500),
                t.path("load_best_model_at_end").asBoolean(false), t.path("frozen_prefix_cache_mb").asInt(4096),
                t.path("seed").asLong(42),
                path(base, root.path("output"), "output_dir", "output.output_dir"));
    }

    private static Path path(Path base, JsonNode node, String key, String fullKey) {
        if (!node.hasNonNull(key)) {
            throw new IllegalArgumentException("recipe key '" + fullKey + "' is missing");
        }
        return base.resolve(node.get(key).asText()).normalize();
    }

    private static void positive(String key, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("recipe key '" + key + "' must be positive, got " + value);
        }
    }

    /** Sequences per optimizer step. */
    public int effectiveBatchSize() {
        return batchSize * gradientAccumulation;
    }

    /** Optimizer steps for a training set of {@code examples}: epochs × ⌈batches / accumulation⌉, capped by max_steps. */
    public int totalSteps(int examples) {
        int batches = (examples + batchSize - 1) / batchSize;
        int steps = epochs * ((batches + gradientAccumulation - 1) / gradientAccumulation);
        return maxSteps > 0 ? Math.min(maxSteps, steps) : steps;
    }

    public int warmupSteps(int totalSteps) {
        return (int) (warmupRatio * totalSteps);
    }
}
