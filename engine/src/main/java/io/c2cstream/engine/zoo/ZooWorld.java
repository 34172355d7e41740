package io.c2cstream.engine.zoo;

import io.c2cstream.engine.eval.BenchmarkItem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The zoo's synthetic knowledge: invented entities with one uniformly drawn value per {@link Attribute}, split
 * into {@link EntitySplit public, private-train, private-held-out and context} entities. Everything follows from
 * the seed and the sizes; the same pair always gives the same world.
 */
public final class ZooWorld {

    /** The seed the committed zoo is built from. */
    public static final long DEFAULT_SEED = 20_250_705L;

    private final long seed;
    private final List<Entity> entities;

    private ZooWorld(long seed, List<Entity> entities) {
        this.seed = seed;
        this.entities = List.copyOf(entities);
    }

    /** The default world: {@link #DEFAULT_SEED} and {@link ZooSizes#DEFAULT}. */
    public static ZooWorld standard() {
        return generate(DEFAULT_SEED, ZooSizes.DEFAULT);
    }

    public static ZooWorld generate(long seed, ZooSizes sizes) {
        Random random = Seeds.random(seed, "world");
        EntityNames names = new EntityNames(random);
        List<Entity> entities = new ArrayList<>();
        for (EntitySplit split : EntitySplit.values()) {
            if (split == EntitySplit.PRIVATE_VALIDATION) {
                continue;
            }
            // Validation entities are drawn as the last of one block with the private-train ones: splitting them
            // off left every name and value of the world the zoo's models were trained on as it was.
            int inSplit = sizes.count(split);
            int count = inSplit + (split == EntitySplit.PRIVATE_TRAIN ? sizes.validationEntities() : 0);
            List<String> drawn = names.draw(count);
            for (int i = 0; i < count; i++) {
                entities.add(Entity.drawn(drawn.get(i), i < inSplit ? split : EntitySplit.PRIVATE_VALIDATION, random));
            }
        }
        return new ZooWorld(seed, entities);
    }

    public long seed() {
        return seed;
    }

    /** Every entity, split by split in {@link EntitySplit} order. */
    public List<Entity> entities() {
        return entities;
    }

    public List<Entity> entities(EntitySplit split) {
        return entities.stream().filter(entity -> entity.split() == split).toList();
    }

    /** The entities whose facts the sharer learns: all but the {@link EntitySplit#CONTEXT} ones. */
    public List<Entity> knownToSharer() {
        return entities.stream().filter(entity -> entity.split() != EntitySplit.CONTEXT).toList();
    }

    /**
     * The words both tokenizers must split on exactly these boundaries, each as its pieces: every entity name as
     * its two syllables (with and without a leading space), every attribute value as one token (with and
     * without a leading space), the words of the attribute phrases and the answer letters after a space (" A",
     * as replies name them) as one token each. Names and values then align one to one across the tokenizers
     * (method §3.1) and all prompts and replies of a kind have one token length.
     */
    public List<List<String>> protectedWords() {
        Set<List<String>> words = new LinkedHashSet<>();
        for (Entity entity : entities) {
            List<String> syllables = EntityNames.syllables(entity.name());
            words.add(syllables);
            words.add(List.of(" " + syllables.get(0), syllables.get(1)));
        }
        for (Attribute attribute : Attribute.values()) {
            for (String value : attribute.options()) {
                words.add(List.of(value));
                words.add(List.of(" " + value));
            }
            for (String word : attribute.phrase().split(" ")) {
                words.add(List.of(" " + word));
            }
        }
        for (int option = 0; option < ZooQuestions.OPTIONS; option++) {
            words.add(List.of(" " + BenchmarkItem.label(option)));
        }
        return List.copyOf(words);
    }
}
