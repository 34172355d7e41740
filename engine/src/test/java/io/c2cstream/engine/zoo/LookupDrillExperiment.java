package io.c2cstream.engine.zoo;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import io.c2cstream.engine.train.Pretraining;
import io.c2cstream.engine.train.TokenPacker;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An experiment, not part of the suite (surefire does not pick up the name): how many steps a model of a given
 * configuration needs to learn the option lookup of a multiple-choice answer, the skill the zoo's receiver has
 * never learnt inside its full corpus (zoo/README.md, "Later attempts"). A model is pretrained from scratch on
 * short packed {@link LookupDrill}s only, and every 100 steps the {@link LookupDrillProbe} greedily completes 100
 * fresh drills after "My choice is &lt;value&gt;": the share of right letters, and which letters it wrote. Run
 * from the repository root:
 * <pre>
 * mvn -B -o -pl engine test-compile
 * mvn -B -o -pl engine surefire:test -Dtest=LookupDrillExperiment -DfailIfNoTests=false \
 *     -Ddrill.variant=qwen3,untied -Ddrill.steps=2000 -Dai.djl.pytorch.num_threads=1
 * </pre>
 * {@code drill.steps} (default 1,200), {@code drill.lr} (peak learning rate, default 2e-3) and {@code drill.seed}
 * (initial weights and batch order, default 3) set the run;
 * {@code drill.variant} starts from the receiver's configuration as the zoo builds it now ({@code qwen3}, untied)
 * or the sharer's ({@code llama})
 * and applies the changes that follow it, comma-separated: {@code nonorm} (model type llama: no q/k norm),
 * {@code kv4} (4 KV heads), {@code theta4} (RoPE θ 1e4), {@code untied} / {@code tied} (word embeddings).
 */
class LookupDrillExperiment {
    private static final int DRILLS = 30_000;
    private static final int PROBES = 100;
    private static final int SEQUENCE_LENGTH = 64;

    @Test
    void learnsTheOptionLookup() {
        String variant = System.getProperty("drill.variant", "qwen3");
        int steps = Integer.getInteger("drill.steps", 1200);
        double learningRate = Double.parseDouble(System.getProperty("drill.lr", "2e-3"));
        long seed = Long.getLong("drill.seed", 3);
        Path tokenizerDir = Path.of("../zoo/receiver");
        ObjectNode config = configuration(variant, tokenizerDir);
        System.out.println("configuration " + config);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            int endToken = tokenizer.specialTokens().eos().orElseThrow().id();
            List<int[]> documents = LookupDrill.documents(DRILLS, new Random(7)).stream()
                    .map(d -> tokenizer.encode(d.text())).toList();
            int[][] sequences = TokenPacker.pack(documents, endToken, SEQUENCE_LENGTH, 1);
            LookupDrillProbe probe = LookupDrillProbe.of(PROBES, new Random(99));
            try (ModelParameters parameters = ModelParameters.initialize(config, Device.cpu(), 0.02, seed)) {
                new Pretraining(steps, 32, learningRate, 40, 0.95, 0.1, seed, 100).run(parameters, sequences, new Pretraining.Listener() {
                    @Override
                    public void onStep(int step, int total, double loss, double lr, double norm, int tokens, double seconds) {
                        if (step % 50 == 0) {
                            System.out.printf("step %d loss %.3f%n", step, loss);
                        }
                    }

                    @Override
                    public boolean onEvaluate(int step, TransformerModel model) {
                        System.out.printf("step %d %s%n", step, probe.run(model, tokenizer));
                        return true;
                    }
                });
            }
        }
    }

    private static ObjectNode configuration(String variant, Path tokenizerDir) {
        String[] changes = variant.split(",");
        ObjectNode config = switch (changes[0]) {
            case "qwen3" -> ZooBuilder.receiverConfig(tokenizerDir);
            case "llama" -> ZooBuilder.sharerConfig(tokenizerDir);
            default -> throw new IllegalArgumentException("drill.variant must start with qwen3 or llama, not '"
                    + changes[0] + "'");
        };
        for (String change : Arrays.copyOfRange(changes, 1, changes.length)) {
            switch (change) {
                case "nonorm" -> config.put("model_type", "llama");
                case "kv4" -> config.put("num_key_value_heads", 4);
                case "theta4" -> config.put("rope_theta", 10_000.0);
                case "untied" -> config.put("tie_word_embeddings", false);
                case "tied" -> config.put("tie_word_embeddings", true);
                default -> throw new IllegalArgumentException("unknown drill.variant change '" + change
                        + "': use any of nonorm, kv4, theta4, untied, tied");
            }
        }
        return config;
    }
}
