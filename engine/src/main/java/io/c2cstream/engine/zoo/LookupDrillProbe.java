package io.c2cstream.engine.zoo;

import io.c2cstream.engine.generate.Generation;
import io.c2cstream.engine.generate.Generator;
import io.c2cstream.engine.generate.SamplingConfig;
import io.c2cstream.engine.model.TransformerModel;
import io.c2cstream.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Measures whether a model has learnt the option lookup: it greedily completes fresh {@link LookupDrill}s by one
 * token, the letter after the value. The letters it wrote are kept too, since a model before the lookup writes
 * one letter for every drill.
 */
public final class LookupDrillProbe {

    /**
     * @param letterAccuracy share of drills completed with the right letter, in [0, 1]
     * @param written        how often each completion was written
     */
    public record Result(double letterAccuracy, Map<String, Integer> written) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "drill letter %.0f%% %s", 100 * letterAccuracy, written);
        }
    }

    private final List<LookupDrill> drills;

    private LookupDrillProbe(List<LookupDrill> drills) {
        this.drills = drills;
    }

    /** {@code count} drills from {@code random}. */
    public static LookupDrillProbe of(int count, Random random) {
        List<LookupDrill> drills = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            drills.add(LookupDrill.draw(random));
        }
        return new LookupDrillProbe(drills);
    }

    /** Runs every drill through {@code model} in one batch. */
    public Result run(TransformerModel model, TextTokenizer tokenizer) {
        List<int[]> prompts = drills.stream().map(d -> tokenizer.encode(d.prompt())).toList();
        List<Generation> replies = new Generator(model, tokenizer::decodeSkippingSpecial, 0)
                .generate(prompts, SamplingConfig.greedy(1, tokenizer.eosIds()));
        int correct = 0;
        Map<String, Integer> written = new TreeMap<>();
        for (int i = 0; i < drills.size(); i++) {
            String letter = replies.get(i).text().trim();
            written.merge(letter, 1, Integer::sum);
            correct += letter.equals(String.valueOf(drills.get(i).gold())) ? 1 : 0;
        }
        return new Result((double) correct / drills.size(), written);
    }
}
