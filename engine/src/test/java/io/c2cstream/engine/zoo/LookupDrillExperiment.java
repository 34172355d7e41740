package io.c2cstream.engine.zoo;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.ModelParameters;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import io.c2cstream.engine.train.Pretraining;
import io.c2cstream.engine.train.TokenPacker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An experiment, not part of the suite (surefire does not pick up the name): how many steps a model of a given
 * configuration needs to learn the option lookup of a multiple-choice answer, the skill the zoo's receiver has
 * never learnt inside its full corpus (zoo/README.md, "Later attempts"). A model is pretrained from scratch on
 * short packed drills only,
 * <pre>
 * Find purple.
 * Choices:
 * A. red
 * B. blue
 * C. purple
 * D. green
 * Answer: purple C
 * </pre>
 * (four of one attribute's ten values), and every 100 steps greedily completes 100 fresh drills after
 * "Answer: &lt;value&gt;": the share of right letters, and which letters it wrote. Run from the repository root:
 * <pre>
 * mvn -B -o -pl engine test-compile
 * mvn -B -o -pl engine surefire:test -Dtest=LookupDrillExperiment -DfailIfNoTests=false \
 *     -Ddrill.variant=qwen3,untied -Ddrill.steps=2000 -Dai.djl.pytorch.num_threads=1
 * </pre>
 * {@code drill.steps} (default 1,200), {@code drill.lr} (peak learning rate, default 2e-3) and {@code drill.seed}
 * (initial weights and batch order, default 3) set the run;
 * {@code drill.variant} starts from the receiver's configuration ({@code qwen3}) or the sharer's ({@code llama})
 * and applies the changes that follow it, comma-separated: {@code nonorm} (model type llama: no q/k norm),
 * {@code kv4} (4 KV heads), {@code theta4} (RoPE θ 1e4), {@code untied} / {@code tied} (word embeddings).
 */
class LookupDrillExperiment {
    private static final int DRILLS = 30_000;
    private static final int PROBES = 100;
    private static final int SEQUENCE_LENGTH = 64;

    private record Drill(String text, char gold) {}

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
            Random random = new Random(7);
            List<int[]> documents = new ArrayList<>();
            for (int i = 0; i < DRILLS; i++) {
                Drill drill = drill(random);
                documents.add(tokenizer.encode(drill.text() + " " + drill.gold()));
            }
            int[][] sequences = TokenPacker.pack(documents, endToken, SEQUENCE_LENGTH, 1);
            Random probeRandom = new Random(99);
            List<Drill> probes = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                probes.add(drill(probeRandom));
            }
            List<int[]> prompts = probes.stream().map(d -> tokenizer.encode(d.text())).toList();
            try (ModelParameters parameters = ModelParameters.initialize(config, Device.cpu(), 0.02, seed)) {
                new Pretraining(steps, 32, learningRate, 40, 0.95, 0.1, seed, 100).run(parameters, sequences, new Pretraining.Listener() {
                    @Override
                    public void onStep(int step, int total, double loss, double lr, double norm, int tokens, double seconds) {
                        if (step % 50 == 0) {
                            System.out.printf("step %d loss %.3f%n", step, loss);
                        }
                    }

                    @Override
                    public void onEvaluate(int step, TransformerModel model) {
                        Generator generator = new Generator(model, tokenizer::decodeSkippingSpecial, 0);
                        List<Generation> replies = generator.generate(prompts, SamplingConfig.greedy(1, tokenizer.eosIds()));
                        int correct = 0;
                        Map<String, Integer> letters = new TreeMap<>();
                        for (int i = 0; i < replies.size(); i++) {
                            String letter = replies.get(i).text().trim();
                            letters.merge(letter, 1, Integer::sum);
                            correct += letter.equals(String.valueOf(probes.get(i).gold())) ? 1 : 0;
                        }
                        System.out.printf("step %d letter %d%% of %d %s%n", step, correct * 100 / PROBES, PROBES, letters);
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

    /** Four of one attribute's values, one of them asked for; the text ends after "Answer: &lt;value&gt;". */
    private static Drill drill(Random random) {
        List<String> values = new ArrayList<>(Attribute.values()[random.nextInt(Attribute.values().length)].options());
        Collections.shuffle(values, random);
        List<String> options = values.subList(0, 4);
        int gold = random.nextInt(4);
        StringBuilder text = new StringBuilder("Find " + options.get(gold) + ".\nChoices:\n");
        for (int i = 0; i < options.size(); i++) {
            text.append((char) ('A' + i)).append(". ").append(options.get(i)).append('\n');
        }
        return new Drill(text.append("Answer: ").append(options.get(gold)).toString(), (char) ('A' + gold));
    }
}
