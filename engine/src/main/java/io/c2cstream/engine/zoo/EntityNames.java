package io.c2cstream.engine.zoo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Invents entity names: two consonant-vowel syllables, the first capitalised ({@code "Kedo"}), so that every name
 * is two syllable tokens in both zoo tokenizers. Names that are common English words ("Made", "Tuna") or
 * attribute values ("Lima") are never drawn: a model should not confuse an entity with a word it reads elsewhere.
 */
final class EntityNames {

    static final String CONSONANTS = "bdfghklmnprstvz";
    static final String VOWELS = "aeiou";

    /** English words of this shape; enough to keep the obvious ones out, not a dictionary. */
    private static final Set<String> ENGLISH_WORDS = Set.of(
            "babe", "bake", "bale", "base", "bide", "bike", "bile", "bite", "bode", "bone", "bore", "dale", "dame",
            "dare", "date", "daze", "data", "demo", "dine", "dime", "dire", "diva", "dive", "dole", "dome", "done",
            "dose", "dote", "dune", "dupe", "fade", "fake", "fame", "fare", "fate", "faze", "file", "fine", "fire",
            "five", "fume", "fuse", "gala", "gale", "game", "gate", "gave", "gaze", "gene", "gone", "gore", "hade",
            "hale", "halo", "hare", "hate", "have", "haze", "here", "hero", "hide", "hike", "hire", "hole", "home",
            "hone", "hope", "hose", "huge", "kale", "kilo", "kite", "lake", "lame", "lane", "late", "lava",
            "lime", "limo", "line", "lire", "live", "lobe", "lode", "lone", "lore", "lose", "lube", "lure", "made",
            "make", "male", "mane", "mare", "mate", "maze", "memo", "menu", "mere", "mike", "mile", "mime", "mine",
            "mire", "mode", "mole", "mope", "more", "mule", "muse", "mute", "name", "nape", "nine", "node", "none",
            "nose", "note", "nude", "page", "pale", "pane", "pare", "pave", "pike", "pile", "pine", "pipe", "poke",
            "pole", "polo", "pope", "pore", "pose", "pure", "rage", "rake", "rare", "rate", "rave", "raze", "ride",
            "rife", "rile", "ripe", "rise", "robe", "rode", "role", "rope", "rose", "rote", "rude", "rule", "safe",
            "saga", "sage", "sake", "sale", "same", "sane", "sari", "side", "site", "size", "sofa", "soda", "sole",
            "solo", "some", "sore", "sure", "take", "tale", "tame", "tape", "tare", "tide", "tile", "time", "tire",
            "tofu", "tome", "tone", "tore", "tote", "tube", "tuna", "tune", "vale", "vane", "vase", "veto", "vibe",
            "vile", "vine", "visa", "vote", "zero", "zone");

    private final Random random;
    private final Set<String> excluded = new HashSet<>(ENGLISH_WORDS);

    EntityNames(Random random) {
        this.random = random;
        for (Attribute attribute : Attribute.values()) {
            attribute.options().forEach(value -> excluded.add(value.toLowerCase(Locale.ROOT)));
        }
    }

    /** {@code count} new names, distinct from each other and from every name this generator drew before. */
    List<String> draw(int count) {
        List<String> names = new ArrayList<>(count);
        while (names.size() < count) {
            String name = syllable(true) + syllable(false);
            if (excluded.add(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    private String syllable(boolean capitalised) {
        char consonant = CONSONANTS.charAt(random.nextInt(CONSONANTS.length()));
        char vowel = VOWELS.charAt(random.nextInt(VOWELS.length()));
        return String.valueOf(capitalised ? Character.toUpperCase(consonant) : consonant) + vowel;
    }

    /** The syllables of a name: {@code "Kedo"} gives {@code ["Ke", "do"]}. */
    static List<String> syllables(String name) {
        return List.of(name.substring(0, 2), name.substring(2));
    }
}
